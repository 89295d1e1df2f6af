package dev.backendteam.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;

/** A socket factory for an admin URL ({@code socketFactory=…&socketFactoryArg=<name>}) that counts the sockets it makes. */
public final class CountingSocketFactory extends SocketFactory {
    private static final Map<String, AtomicInteger> MADE = new ConcurrentHashMap<>();
    private final AtomicInteger made;

    public CountingSocketFactory(String name) {
        this.made = MADE.computeIfAbsent(name, n -> new AtomicInteger());
    }

    static int made(String name) {
        AtomicInteger n = MADE.get(name);
        return n == null ? 0 : n.get();
    }

    @Override
    public Socket createSocket() {
        made.incrementAndGet();
        return new Socket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        made.incrementAndGet();
        return new Socket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        made.incrementAndGet();
        return new Socket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        made.incrementAndGet();
        return new Socket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        made.incrementAndGet();
        return new Socket(address, port, localAddress, localPort);
    }
}
