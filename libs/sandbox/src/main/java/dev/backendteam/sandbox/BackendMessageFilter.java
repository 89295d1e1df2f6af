package dev.backendteam.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * What the server sends on a runner connection, read the way the backend protocol frames it (one type byte, an
 * int32 length that counts itself, the body) before pgjdbc sees it. pgjdbc has no bound for notices, errors or the
 * output of a statement in all, and allocates a buffer of a message's announced length before reading it; so this
 * stream, per exchange (up to ReadyForQuery, or {@link OutputGuard#beginStatement()}):
 * <ul>
 *   <li>drops NoticeResponse ('N') messages beyond {@code maxNotices} and counts them — a notice may arrive at any
 *   time and needs no answer, so dropping one is protocol-safe; NotificationResponse ('A', LISTEN/NOTIFY) is always
 *   dropped, the sandbox never reads it and pgjdbc would keep it;</li>
 *   <li>cuts the connection — records an {@link OutputCut}, closes the socket, throws IOException — before it hands
 *   over the header of a row ('D', 'd') that would take the rows past {@code maxResultBytes}, of any other message
 *   longer than {@code maxMessageBytes}, or of a message that would take the exchange past
 *   {@code maxOutputBytes} (dropped notices count). For an oversized notice or error it first reads the beginning
 *   of the body, so the report can name the server's SQLSTATE and how its message began.</li>
 * </ul>
 * During startup the server answers an SSLRequest or GSSENCRequest with one unframed byte: 'N' (go on in plain
 * text) or 'S'/'G', after which everything is encrypted and only the byte count applies (the total bound, reset by
 * {@link OutputGuard#beginStatement()}). {@link FrontendStartupWatcher} tells this stream what the client sent.
 *
 * <p>One reading thread per connection, as pgjdbc reads; a read that times out leaves the state as it was.
 */
final class BackendMessageFilter extends InputStream {
    /** How much of an oversized notice or error is read to name its SQLSTATE and opening words. */
    static final int PEEK_BYTES = 1024;
    private static final int OPENING_CHARS = 200;
    private static final int CHUNK = 16 * 1024;
    private static final System.Logger LOG = System.getLogger(BackendMessageFilter.class.getName());
    private static final java.util.concurrent.atomic.AtomicBoolean WARNED = new java.util.concurrent.atomic.AtomicBoolean();

    private final InputStream in;
    private final OutputGuard guard;
    private final OutputLimits limits;
    private final Runnable closeConnection;
    private final boolean filtering;

    private final byte[] chunk = new byte[CHUNK];
    /** What may be handed over: a held-back header (at most 5 bytes) plus one chunk. */
    private final byte[] out = new byte[CHUNK + 5];
    private int outPos;
    private int outEnd;
    private final byte[] one = new byte[1];

    private volatile boolean singleByteAnswer;
    private volatile boolean encrypted;

    private final byte[] header = new byte[5];
    private int headerFill;
    private long bodyLeft;
    private boolean passBody;

    private OutputCut pendingCut;
    private byte[] peek;
    private int peekFill;

    private long statementSeen = Long.MIN_VALUE;
    private long bytes;
    private long rowBytes;
    private int notices;

    private IOException cut;

    BackendMessageFilter(InputStream in, OutputGuard guard, Runnable closeConnection) {
        this.in = in;
        this.guard = guard;
        this.limits = guard.limits();
        this.closeConnection = closeConnection;
        this.filtering = guard.filtering();
    }

    /** The client sent an SSLRequest or GSSENCRequest: the server's next byte is an unframed 'S', 'G' or 'N'. */
    void expectSingleByteAnswer() {
        singleByteAnswer = true;
    }

    /** The connection carries something this stream cannot frame (TLS from the first byte): count bytes only. */
    void encryptedFromStart() {
        becomeEncrypted();
    }

    private void becomeEncrypted() {
        encrypted = true;
        if (filtering && WARNED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "sandbox runner connections are encrypted: only the byte count of a"
                    + " statement's output and pgjdbc's maxResultBuffer bound what is read (notices are not dropped on"
                    + " the wire); use sslmode=allow or disable in the admin URL to have every bound");
        }
    }

    boolean encrypted() {
        return encrypted;
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (outPos == outEnd) {
            if (cut != null) {
                throw cut;
            }
            int n = in.read(chunk, 0, chunk.length);
            if (n < 0) {
                if (pendingCut != null) {
                    finishCut();
                    throw cut;
                }
                return -1;
            }
            outPos = 0;
            outEnd = 0;
            process(n);
        }
        int k = Math.min(len, outEnd - outPos);
        System.arraycopy(out, outPos, b, off, k);
        outPos += k;
        return k;
    }

    @Override
    public int available() {
        return outEnd - outPos;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void process(int n) {
        if (!filtering) {
            emit(chunk, 0, n);
            return;
        }
        int i = 0;
        while (i < n && cut == null) {
            if (encrypted) {
                i += passEncrypted(i, n);
            } else if (singleByteAnswer && headerFill == 0 && bodyLeft == 0) {
                singleByteAnswer = false;
                byte b = chunk[i];
                if (b == 'S' || b == 'G' || b == 'N') {
                    if (b != 'N') {
                        becomeEncrypted();
                    }
                    emit(chunk, i, 1);
                    i++;
                }
                // otherwise an ErrorResponse from a server that does not know the request: framed from here
            } else if (pendingCut != null) {
                i += peekInto(i, n);
            } else if (bodyLeft > 0) {
                int k = (int) Math.min(bodyLeft, n - i);
                if (passBody) {
                    emit(chunk, i, k);
                }
                bodyLeft -= k;
                i += k;
            } else {
                int k = Math.min(header.length - headerFill, n - i);
                System.arraycopy(chunk, i, header, headerFill, k);
                headerFill += k;
                i += k;
                if (headerFill == header.length) {
                    headerFill = 0;
                    onHeader();
                }
            }
        }
    }

    private void onHeader() {
        char type = (char) (header[0] & 0xff);
        int length = ((header[1] & 0xff) << 24) | ((header[2] & 0xff) << 16) | ((header[3] & 0xff) << 8) | (header[4] & 0xff);
        if (length < 4) {
            cut = new IOException("malformed backend message '" + type + "' of length " + length);
            closeQuietly();
            return;
        }
        syncStatement();
        long size = 1L + length;
        boolean row = type == 'D' || type == 'd';
        OutputCut over = null;
        if (row && size > limits.maxResultBytes()) {
            over = new OutputCut(OutputCut.Bound.RESULT, type, size, limits.maxResultBytes(), true, null, null, null);
        } else if (!row && size > limits.maxMessageBytes()) {
            over = new OutputCut(OutputCut.Bound.MESSAGE, type, size, limits.maxMessageBytes(), false, null, null, null);
        } else if (row && rowBytes + size > limits.maxResultBytes()) {
            over = new OutputCut(OutputCut.Bound.RESULT, type, rowBytes + size, limits.maxResultBytes(), false, null, null, null);
        } else if (bytes + size > limits.maxOutputBytes()) {
            over = new OutputCut(OutputCut.Bound.TOTAL, type, bytes + size, limits.maxOutputBytes(), false, null, null, null);
        }
        bodyLeft = length - 4L;
        if (over != null) {
            if ((type == 'E' || type == 'N') && bodyLeft > 0) {
                pendingCut = over;
                peek = new byte[(int) Math.min(PEEK_BYTES, bodyLeft)];
                peekFill = 0;
            } else {
                cutNow(over);
            }
            return;
        }
        bytes += size;
        if (row) {
            rowBytes += size;
        }
        if (type == 'A' || (type == 'N' && notices >= limits.maxNotices())) {
            passBody = false;
            if (type == 'N') {
                guard.noticeDropped();
            }
            return;
        }
        if (type == 'N') {
            notices++;
        }
        passBody = true;
        emit(header, 0, header.length);
        if (type == 'Z') {
            // ReadyForQuery ends the exchange
            resetCounters();
        }
    }

    private int passEncrypted(int i, int n) {
        syncStatement();
        int k = n - i;
        if (bytes + k > limits.maxOutputBytes()) {
            cutNow(new OutputCut(OutputCut.Bound.TOTAL, OutputCut.ENCRYPTED, bytes + k, limits.maxOutputBytes(), false,
                    null, null, null));
        } else {
            bytes += k;
            emit(chunk, i, k);
        }
        return k;
    }

    private int peekInto(int i, int n) {
        int k = (int) Math.min(Math.min(peek.length - peekFill, bodyLeft), n - i);
        System.arraycopy(chunk, i, peek, peekFill, k);
        peekFill += k;
        bodyLeft -= k;
        if (peekFill == peek.length) {
            finishCut();
        }
        return k;
    }

    /** Names the server's severity, SQLSTATE and opening words from the fields read so far, then cuts. */
    private void finishCut() {
        String severity = null;
        String localized = null;
        String sqlState = null;
        String message = null;
        int j = 0;
        while (j < peekFill && peek[j] != 0) {
            byte code = peek[j++];
            int end = j;
            while (end < peekFill && peek[end] != 0) {
                end++;
            }
            String value = new String(peek, j, end - j, StandardCharsets.UTF_8);
            switch (code) {
                case 'V' -> severity = value;
                case 'S' -> localized = value;
                case 'C' -> sqlState = value;
                case 'M' -> message = value.length() > OPENING_CHARS ? value.substring(0, OPENING_CHARS) : value;
                default -> { }
            }
            j = end + 1;
        }
        OutputCut c = pendingCut.withOpening(severity != null ? severity : localized, sqlState, message);
        pendingCut = null;
        peek = null;
        cutNow(c);
    }

    private void cutNow(OutputCut c) {
        guard.cut(c);
        cut = new IOException("the sandbox stopped reading this connection: " + c.summary());
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            closeConnection.run();
        } catch (RuntimeException e) {
            cut.addSuppressed(e);
        }
    }

    private void syncStatement() {
        long s = guard.statement();
        if (s != statementSeen) {
            statementSeen = s;
            resetCounters();
        }
    }

    private void resetCounters() {
        bytes = 0;
        rowBytes = 0;
        notices = 0;
    }

    private void emit(byte[] src, int from, int k) {
        System.arraycopy(src, from, out, outEnd, k);
        outEnd += k;
    }
}
