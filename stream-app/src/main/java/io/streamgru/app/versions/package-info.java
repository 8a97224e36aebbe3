/**
 * Model versions and their lifecycle: {@link io.streamgru.app.versions.ModelVersion} (one published
 * version of the shared model) and its wire codec, the configuration hash ({@code StreamGruConfig.configHash()})
 * that ties parameters to a learner configuration, publishing a version from outside the live
 * optimizer, reading the published versions back from the model topics, and the model files of
 * {@code streamgru model export|import}.
 *
 * <p>Named {@code versions}, not {@code model}, so it is not mistaken for the mathematics in
 * model-core ({@code io.streamgru.model}).
 */
package io.streamgru.app.versions;
