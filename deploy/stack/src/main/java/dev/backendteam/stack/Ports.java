package dev.backendteam.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Loopback ports: free ones for a new stack, and a clear refusal when a configured one is taken. */
public final class Ports {
    public static final String HOST = "127.0.0.1";

    private Ports() {
    }

    /** One free loopback port. */
    public static int free() {
        return free(1).get(0);
    }

    /** {@code count} distinct free loopback ports (held open together while choosing, so never the same twice). */
    public static List<Integer> free(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                held.add(socket);
                ports.add(socket.getLocalPort());
            }
            return ports;
        } catch (IOException e) {
            throw new StackException("cannot find a free port on " + HOST, e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException e) {
                    throw new StackException("cannot release probe socket " + socket, e);
                }
            }
        }
    }

    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Throws a {@link StackException} naming the port and its intended owner when something already listens on it. */
    public static void requireFree(int port, String owner) {
        if (!isFree(port)) {
            throw new StackException("port " + port + " (for " + owner + ") is already in use on " + HOST
                    + "; stop whatever listens there or configure another port for " + owner);
        }
    }
}
