package dev.backendteam.bench;

import java.net.URI;
import java.util.Locale;

/** The bench talks to this machine only: a gateway or broker address elsewhere is refused before anything is sent. */
final class Loopback {
    private Loopback() {
    }

    static boolean isLoopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.equals("::1") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    static void requireUrl(String url, String what) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not a URL: " + url);
        }
        if (!"http".equals(uri.getScheme()) || uri.getPort() <= 0) {
            throw new IllegalArgumentException(what + " must be http://127.0.0.1:<port>, not " + url);
        }
        if (!isLoopbackHost(uri.getHost())) {
            throw new IllegalArgumentException(what + " must be a loopback address (127.0.0.1, localhost), not "
                    + uri.getHost());
        }
    }

    static void requireBootstrap(String servers, String what) {
        for (String server : servers.split(",")) {
            String s = server.trim();
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1) {
                throw new IllegalArgumentException(what + " must be host:port, not " + s);
            }
            try {
                Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + " must be host:port, not " + s);
            }
            if (!isLoopbackHost(s.substring(0, colon))) {
                throw new IllegalArgumentException(what + " must be a loopback address (127.0.0.1:<port>), not " + s);
            }
        }
    }
}
