/**
 * Online aggregation of experts per series: the model's forecast combined with simple forecasters
 * (persistence, the linear path alone, seasonal naive) by exponentially weighted averaging with fixed share
 * ({@link io.streamgru.model.experts.FixedShareAggregation}, whose header states the maths and the
 * regret bound). Pure Java, plain arrays held by the caller's state, no allocation per record;
 * nothing is thread-safe.
 */
package io.streamgru.model.experts;
