package dev.backendteam.sandbox;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * What the client sends at the start of a runner connection, watched only as far as
 * {@link BackendMessageFilter} needs to know how the server will answer: an SSLRequest or GSSENCRequest gets one
 * unframed byte back; a StartupMessage starts framed messages both ways; a CancelRequest gets no answer at all; a
 * TLS record from the first byte (direct SSL negotiation) means the rest is encrypted. After the first packet
 * that is not one of the two requests, bytes pass through unexamined.
 */
final class FrontendStartupWatcher extends FilterOutputStream {
    static final int CANCEL_REQUEST = 80877102;
    static final int SSL_REQUEST = 80877103;
    static final int GSSENC_REQUEST = 80877104;
    private static final byte TLS_HANDSHAKE = 0x16;

    private final BackendMessageFilter server;
    private final byte[] packet = new byte[8];
    private int fill;
    private boolean watching = true;

    FrontendStartupWatcher(OutputStream out, BackendMessageFilter server) {
        super(out);
        this.server = server;
    }

    @Override
    public void write(int b) throws IOException {
        if (watching) {
            watch((byte) b);
        }
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = 0; i < len && watching; i++) {
            watch(b[off + i]);
        }
        out.write(b, off, len);
    }

    private void watch(byte b) {
        if (server.encrypted()) {
            watching = false;
            return;
        }
        if (fill == 0 && b == TLS_HANDSHAKE) {
            server.encryptedFromStart();
            watching = false;
            return;
        }
        packet[fill++] = b;
        if (fill < packet.length) {
            return;
        }
        fill = 0;
        int length = readInt(0);
        int code = readInt(4);
        if (length == 8 && (code == SSL_REQUEST || code == GSSENC_REQUEST)) {
            // after an 'N' the client sends its next packet (another request or the StartupMessage)
            server.expectSingleByteAnswer();
            return;
        }
        watching = false;
        if (code != CANCEL_REQUEST && (code >>> 16) != 3) {
            // no protocol 3.x StartupMessage: nothing this filter can frame
            server.encryptedFromStart();
        }
    }

    private int readInt(int at) {
        return ((packet[at] & 0xff) << 24) | ((packet[at + 1] & 0xff) << 16) | ((packet[at + 2] & 0xff) << 8)
                | (packet[at + 3] & 0xff);
    }
}
