package dev.backendteam.sandbox;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The protocol filter on byte arrays laid out as a server sends them: what it hands over, drops and cuts, and where.
 * No server: the framing is the backend protocol's, built here message by message.
 */
class BackendMessageFilterTest {
    private static final OutputLimits LIMITS = new OutputLimits(64 * 1024, 8 * 1024, 256 * 1024, 3);

    // --- ordinary traffic -----------------------------------------------------------------------------------------

    @Test
    void ordinaryMessagesPassByteForByteHoweverTheyAreSplit() throws IOException {
        byte[] server = concat(row("a"), notice("00000", "one"), commandComplete("SELECT 1"), ready());
        for (int chunk : new int[] {1, 2, 3, 5, 7, 4096}) {
            Filter f = new Filter(LIMITS, server, chunk);
            assertArrayEquals(server, f.readAll(), "chunks of " + chunk);
            assertFalse(f.closed.get() > 0);
            assertNull(f.guard.cut());
        }
    }

    @Test
    void noticesBeyondTheBoundAreDroppedAndCountedAndTheCountRestartsAtReadyForQuery() throws IOException {
        ByteArrayOutputStream server = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 1; i <= 5; i++) {
            byte[] n = notice("00000", "n " + i);
            server.write(n);
            if (i <= 3) {
                expected.write(n);
            }
        }
        server.write(commandComplete("DO"));
        expected.write(commandComplete("DO"));
        server.write(ready());
        expected.write(ready());
        // the next exchange may raise three again
        for (int i = 1; i <= 3; i++) {
            server.write(notice("00000", "m " + i));
            expected.write(notice("00000", "m " + i));
        }
        Filter f = new Filter(LIMITS, server.toByteArray(), 3);
        assertArrayEquals(expected.toByteArray(), f.readAll());
        assertEquals(2, f.guard.droppedNotices());
    }

    @Test
    void theBoundIsTheFiltersNotTheDrivers() throws IOException {
        byte[] five = concat(notice("00000", "1"), notice("00000", "2"), notice("00000", "3"), notice("00000", "4"),
                notice("00000", "5"));
        OutputGuard off = OutputGuard.unregistered(LIMITS);
        off.filtering(false);
        assertArrayEquals(five, new Filter(off, five, 4096).readAll(), "unfiltered, all five reach the driver");
        assertEquals(0, off.droppedNotices());
    }

    @Test
    void notificationsAreAlwaysDropped() throws IOException {
        byte[] notification = message('A', ByteBuffer.allocate(4).putInt(42).array(), cstring("channel"), cstring("payload"));
        Filter f = new Filter(LIMITS, concat(notification, ready()), 2);
        assertArrayEquals(ready(), f.readAll());
    }

    // --- cuts -----------------------------------------------------------------------------------------------------

    @Test
    void aNoticeLargerThanOneMessageMayBeIsCutBeforeItsHeaderWithItsOpeningNamed() {
        byte[] first = row("fine");
        byte[] huge = notice("01000", "x".repeat(20_000));
        Filter f = new Filter(LIMITS, concat(first, huge, ready()), 1000);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        IOException e = assertThrows(IOException.class, () -> f.readInto(got));
        assertArrayEquals(first, got.toByteArray(), "what came before is handed over, not a byte of the notice");
        assertEquals(1, f.closed.get(), "the socket was closed");
        OutputCut cut = f.guard.cut();
        assertEquals(OutputCut.Bound.MESSAGE, cut.bound());
        assertEquals('N', cut.type());
        assertEquals(huge.length, cut.bytes());
        assertEquals(8 * 1024, cut.limit());
        assertEquals("NOTICE", cut.severity());
        assertEquals("01000", cut.sqlState());
        assertEquals("x".repeat(200), cut.opening());
        assertTrue(e.getMessage().contains("message bound"), e.getMessage());
        assertThrows(IOException.class, f::read, "and it stays cut");
    }

    @Test
    void anErrorLargerThanOneMessageMayBeNamesTheServersSqlState() {
        Filter f = new Filter(LIMITS, concat(error("P0001", "y".repeat(50_000)), ready()), 300);
        assertThrows(IOException.class, f::readAll);
        OutputCut cut = f.guard.cut();
        assertEquals('E', cut.type());
        assertEquals("ERROR", cut.severity());
        assertEquals("P0001", cut.sqlState());
        SqlError e = cut.toSqlError();
        assertEquals("54000", e.sqlState());
        assertTrue(e.message().contains("one error from the server is " + cut.bytes() + " bytes"), e.message());
        assertTrue(e.message().contains("by " + (cut.bytes() - 8 * 1024) + " bytes"), e.message());
        assertTrue(e.detail().startsWith("The server's ERROR P0001 began: yyyy"), e.detail());
        assertTrue(e.hint().contains("shorter"), e.hint());
    }

    @Test
    void aRowLargerThanTheResultBoundIsCutEvenThoughMessagesMayBeSmaller() {
        byte[] big = row("z".repeat(70_000));
        Filter f = new Filter(LIMITS, concat(rowDescription(), big, ready()), 4096);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        assertThrows(IOException.class, () -> f.readInto(got));
        assertArrayEquals(rowDescription(), got.toByteArray());
        OutputCut cut = f.guard.cut();
        assertEquals(OutputCut.Bound.RESULT, cut.bound());
        assertTrue(cut.singleRow());
        assertEquals(big.length, cut.bytes());
        assertTrue(cut.toSqlError().message().startsWith("one row of the result is " + big.length + " bytes"));
    }

    @Test
    void rowsAddingUpPastTheResultBoundAreCutAtTheRowThatCrossesIt() throws IOException {
        byte[] row = row("r".repeat(10_000)); // 64 KiB hold six of these
        ByteArrayOutputStream server = new ByteArrayOutputStream();
        for (int i = 0; i < 10; i++) {
            server.write(row);
        }
        Filter f = new Filter(LIMITS, server.toByteArray(), 777);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        assertThrows(IOException.class, () -> f.readInto(got));
        assertEquals(6 * row.length, got.size(), "six whole rows, then nothing of the seventh");
        OutputCut cut = f.guard.cut();
        assertEquals(OutputCut.Bound.RESULT, cut.bound());
        assertFalse(cut.singleRow());
        assertEquals(7L * row.length, cut.bytes());
    }

    @Test
    void dropsCountTowardsTheTotalSoAFloodOfNoticesIsCut() throws IOException {
        byte[] n = notice("00000", "n".repeat(1000));
        ByteArrayOutputStream server = new ByteArrayOutputStream();
        for (int i = 0; i < 400; i++) {
            server.write(n);
        }
        Filter f = new Filter(LIMITS, server.toByteArray(), 8192);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        assertThrows(IOException.class, () -> f.readInto(got));
        assertEquals(3 * n.length, got.size());
        OutputCut cut = f.guard.cut();
        assertEquals(OutputCut.Bound.TOTAL, cut.bound());
        long fit = 256 * 1024 / n.length;
        assertEquals((fit + 1) * n.length, cut.bytes());
        assertEquals(fit - 3, f.guard.droppedNotices());
        assertEquals("NOTICE", cut.severity(), "the crossing notice was peeked at too");
    }

    @Test
    void beginStatementRestartsTheCounters() throws IOException {
        OutputGuard guard = OutputGuard.unregistered(LIMITS);
        byte[] row = row("r".repeat(30_000));
        // two rows fit in 64 KiB, three do not; no ReadyForQuery in between (as on an encrypted connection's view)
        java.util.ArrayDeque<Byte> arriving = new java.util.ArrayDeque<>();
        InputStream server = new InputStream() {
            @Override
            public int read() throws IOException {
                if (arriving.isEmpty()) {
                    throw new IOException("the test read further than the server sent");
                }
                return arriving.poll() & 0xff;
            }
        };
        BackendMessageFilter f = new BackendMessageFilter(server, guard, () -> { });
        for (int statement = 0; statement < 3; statement++) {
            guard.beginStatement();
            for (byte b : concat(row, row)) {
                arriving.add(b);
            }
            byte[] two = new byte[2 * row.length];
            for (int at = 0; at < two.length; ) {
                at += f.read(two, at, two.length - at);
            }
            assertArrayEquals(concat(row, row), two);
        }
        assertNull(guard.cut(), "each statement's two rows fit");

        for (byte b : concat(row, row)) {
            arriving.add(b);
        }
        byte[] four = new byte[2 * row.length];
        IOException e = assertThrows(IOException.class, () -> {
            for (int at = 0; at < four.length; ) {
                at += f.read(four, at, four.length - at);
            }
        }, "without beginStatement the third row crosses the bound");
        assertEquals(OutputCut.Bound.RESULT, guard.cut().bound(), e.getMessage());
    }

    @Test
    void aMalformedLengthClosesTheConnection() {
        byte[] bad = {'D', 0, 0, 0, 2};
        Filter f = new Filter(LIMITS, bad, 10);
        IOException e = assertThrows(IOException.class, f::readAll);
        assertTrue(e.getMessage().contains("malformed"), e.getMessage());
        assertEquals(1, f.closed.get());
    }

    @Test
    void aReadThatTimesOutLeavesTheFramingIntact() throws IOException {
        byte[] server = concat(notice("00000", "a"), notice("00000", "b"), notice("00000", "c"), notice("00000", "d"), ready());
        OutputGuard guard = OutputGuard.unregistered(LIMITS);
        AtomicInteger reads = new AtomicInteger();
        InputStream flaky = new InputStream() {
            private final ByteArrayInputStream in = new ByteArrayInputStream(server);

            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (reads.incrementAndGet() % 2 == 0) {
                    throw new SocketTimeoutException("1 ms"); // pgjdbc's hasMessagePending polls like this
                }
                return in.read(b, off, Math.min(len, 3));
            }
        };
        BackendMessageFilter f = new BackendMessageFilter(flaky, guard, () -> { });
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[64];
        while (true) {
            int n;
            try {
                n = f.read(buf, 0, buf.length);
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (n < 0) {
                break;
            }
            got.write(buf, 0, n);
        }
        assertArrayEquals(concat(notice("00000", "a"), notice("00000", "b"), notice("00000", "c"), ready()), got.toByteArray());
        assertEquals(1, guard.droppedNotices());
    }

    // --- startup: SSLRequest, GSSENCRequest, CancelRequest --------------------------------------------------------

    @Test
    void anSslRequestAnsweredNGoesOnFramed() throws IOException {
        byte[] server = concat(new byte[] {'N'}, authenticationOk(), notice("00000", "1"), notice("00000", "2"),
                notice("00000", "3"), notice("00000", "4"), ready());
        Filter f = new Filter(LIMITS, server, 2);
        f.client.write(request(FrontendStartupWatcher.SSL_REQUEST));
        assertEquals('N', f.read());
        f.client.write(startupMessage());
        assertArrayEquals(concat(authenticationOk(), notice("00000", "1"), notice("00000", "2"), notice("00000", "3"), ready()),
                f.readAll());
        assertEquals(1, f.guard.droppedNotices());
    }

    @Test
    void aGssRequestAndThenAnSslRequestBothAnsweredN() throws IOException {
        byte[] server = concat(new byte[] {'N', 'N'}, authenticationOk(), ready());
        Filter f = new Filter(LIMITS, server, 1);
        f.client.write(request(FrontendStartupWatcher.GSSENC_REQUEST));
        assertEquals('N', f.read());
        f.client.write(request(FrontendStartupWatcher.SSL_REQUEST));
        assertEquals('N', f.read());
        f.client.write(startupMessage());
        assertArrayEquals(concat(authenticationOk(), ready()), f.readAll());
    }

    @Test
    void afterSOnlyTheByteCountApplies() throws IOException {
        // what follows 'S' is TLS: notices cannot be told apart, so none is dropped; the total bound still holds
        byte[] tls = new byte[100_000];
        for (int i = 0; i < tls.length; i++) {
            tls[i] = (byte) 'N';
        }
        Filter small = new Filter(LIMITS, concat(new byte[] {'S'}, tls), 4096);
        small.client.write(request(FrontendStartupWatcher.SSL_REQUEST));
        assertEquals('S', small.read());
        small.client.write(new byte[] {0x16, 3, 3, 0, 5}); // the ClientHello passes through unexamined
        assertArrayEquals(tls, small.readAll(), "below the total bound everything passes");
        assertEquals(0, small.guard.droppedNotices());

        byte[] flood = new byte[300 * 1024];
        Filter big = new Filter(LIMITS, concat(new byte[] {'G'}, flood), 4096);
        big.client.write(request(FrontendStartupWatcher.GSSENC_REQUEST));
        assertEquals('G', big.read());
        assertThrows(IOException.class, big::readAll);
        assertEquals(OutputCut.Bound.TOTAL, big.guard.cut().bound());
        assertEquals(OutputCut.ENCRYPTED, big.guard.cut().type());
    }

    @Test
    void tlsFromTheFirstByteIsCountedOnly() throws IOException {
        byte[] server = concat(notice("00000", "1"), notice("00000", "2"), notice("00000", "3"), notice("00000", "4"));
        Filter f = new Filter(LIMITS, server, 4096);
        f.client.write(new byte[] {0x16, 3, 1, 0, 42}); // sslnegotiation=direct: a ClientHello, no SSLRequest
        assertArrayEquals(server, f.readAll());
    }

    @Test
    void aCancelRequestGetsNothingBackButTheEnd() throws IOException {
        Filter f = new Filter(LIMITS, new byte[0], 1);
        f.client.write(ByteBuffer.allocate(16).putInt(16).putInt(FrontendStartupWatcher.CANCEL_REQUEST).putInt(4242)
                .putInt(7).array());
        f.client.flush();
        assertEquals(-1, f.read(), "pgjdbc's receiveEOF sees the end");
        assertEquals(16, f.sent.size(), "the request went out unchanged");
    }

    @Test
    void anErrorInsteadOfTheSingleByteIsFramed() throws IOException {
        byte[] e = error("08P01", "unsupported frontend protocol");
        Filter f = new Filter(LIMITS, e, 3);
        f.client.write(request(FrontendStartupWatcher.SSL_REQUEST));
        assertArrayEquals(e, f.readAll());
    }

    // --- the messages, as the server frames them ------------------------------------------------------------------

    static byte[] message(char type, byte[]... parts) {
        int length = 4;
        for (byte[] p : parts) {
            length += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(1 + length).put((byte) type).putInt(length);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    static byte[] notice(String sqlState, String text) {
        return message('N', cstring("SNOTICE"), cstring("VNOTICE"), cstring("C" + sqlState), cstring("M" + text), new byte[] {0});
    }

    static byte[] error(String sqlState, String text) {
        return message('E', cstring("SERROR"), cstring("VERROR"), cstring("C" + sqlState), cstring("M" + text), new byte[] {0});
    }

    static byte[] row(String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        return message('D', ByteBuffer.allocate(2).putShort((short) 1).array(), ByteBuffer.allocate(4).putInt(v.length).array(), v);
    }

    static byte[] rowDescription() {
        return message('T', ByteBuffer.allocate(2).putShort((short) 1).array(), cstring("v"),
                ByteBuffer.allocate(18).putInt(0).putShort((short) 0).putInt(25).putShort((short) -1).putInt(-1)
                        .putShort((short) 0).array());
    }

    static byte[] commandComplete(String tag) {
        return message('C', cstring(tag));
    }

    static byte[] ready() {
        return message('Z', new byte[] {'I'});
    }

    static byte[] authenticationOk() {
        return message('R', ByteBuffer.allocate(4).putInt(0).array());
    }

    static byte[] request(int code) {
        return ByteBuffer.allocate(8).putInt(8).putInt(code).array();
    }

    static byte[] startupMessage() {
        byte[] params = concat(cstring("user"), cstring("sbx"), new byte[] {0});
        return ByteBuffer.allocate(8 + params.length).putInt(8 + params.length).putInt(196608).put(params).array();
    }

    static byte[] cstring(String s) {
        return concat(s.getBytes(StandardCharsets.UTF_8), new byte[] {0});
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The filter over bytes that arrive in chunks of a given size, with the client side watched. */
    private static final class Filter {
        final OutputGuard guard;
        final AtomicInteger closed = new AtomicInteger();
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        final BackendMessageFilter in;
        final FrontendStartupWatcher client;

        Filter(OutputLimits limits, byte[] server, int chunk) {
            this(OutputGuard.unregistered(limits), server, chunk);
        }

        Filter(OutputGuard guard, byte[] server, int chunk) {
            this.guard = guard;
            ByteArrayInputStream bytes = new ByteArrayInputStream(server);
            InputStream chunked = new InputStream() {
                @Override
                public int read() {
                    return bytes.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return bytes.read(b, off, Math.min(len, chunk));
                }
            };
            this.in = new BackendMessageFilter(chunked, guard, closed::incrementAndGet);
            this.client = new FrontendStartupWatcher(sent, in);
        }

        int read() throws IOException {
            return in.read();
        }

        byte[] readAll() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            readInto(out);
            return out.toByteArray();
        }

        void readInto(ByteArrayOutputStream out) throws IOException {
            byte[] buf = new byte[1000];
            for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
                out.write(buf, 0, n);
            }
        }
    }
}
