package io.streamgru.app.http;

import com.sun.net.httpserver.BasicAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Basic authentication against one configured user; compares in constant time. */
final class PasswordCheck extends BasicAuthenticator {

    private final byte[] user;
    private final byte[] password;

    PasswordCheck(String user, String password) {
        super("streamgru", StandardCharsets.UTF_8);
        this.user = user.getBytes(StandardCharsets.UTF_8);
        this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean checkCredentials(String username, String pass) {
        // Both compared whatever the first says: the time taken tells nothing about which was wrong.
        boolean userMatches = MessageDigest.isEqual(user, username.getBytes(StandardCharsets.UTF_8));
        boolean passwordMatches = MessageDigest.isEqual(password, pass.getBytes(StandardCharsets.UTF_8));
        return userMatches & passwordMatches;
    }
}
