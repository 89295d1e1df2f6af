package dev.backendteam.sandbox;

import org.postgresql.util.ObjectFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Properties;
import javax.net.SocketFactory;

/**
 * The socket factory of the runner connections, named to pgjdbc by class ({@code socketFactory}) and instantiated
 * by it reflectively once per connection with {@code socketFactoryArg}: the key of the database's
 * {@link OutputGuard}. Its sockets read the server's output through {@link BackendMessageFilter}; they are made by
 * the admin URL's own {@code socketFactory} when it names one, else by the platform's default.
 *
 * <p>Public only because pgjdbc needs a public constructor; not part of the sandbox's API.
 */
public final class BoundedSocketFactory extends SocketFactory {
    private final OutputGuard guard;
    private final SocketFactory sockets;

    /** pgjdbc's constructor of choice after {@code (Properties)}: the argument is the guard's key. */
    public BoundedSocketFactory(String guardKey) {
        OutputGuard g = OutputGuard.lookup(guardKey);
        if (g == null) {
            // failing closed: a connection without its bounds must not open
            throw new IllegalStateException("no sandbox output guard is registered under the key given to "
                    + BoundedSocketFactory.class.getName() + " (its database was closed, or the class was loaded by"
                    + " another class loader than the sandbox's)");
        }
        this.guard = g;
        this.sockets = delegate(g);
    }

    private static SocketFactory delegate(OutputGuard g) {
        if (g.delegateFactory() == null) {
            return SocketFactory.getDefault();
        }
        try {
            return ObjectFactory.instantiate(SocketFactory.class, g.delegateFactory(), new Properties(), true,
                    g.delegateFactoryArg());
        } catch (Exception e) {
            throw new IllegalStateException("cannot instantiate the admin URL's socketFactory " + g.delegateFactory(), e);
        }
    }

    @Override
    public Socket createSocket() throws IOException {
        return new BoundedSocket(sockets.createSocket(), guard);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    /** pgjdbc calls {@link #createSocket()} and connects itself; the other forms are SocketFactory's contract. */
    private Socket connected(InetSocketAddress to, InetSocketAddress from) throws IOException {
        Socket s = createSocket();
        if (from != null) {
            s.bind(from);
        }
        s.connect(to);
        return s;
    }
}
