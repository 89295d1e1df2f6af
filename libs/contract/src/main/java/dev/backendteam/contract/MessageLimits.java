package dev.backendteam.contract;

/**
 * Message size and compression shared by every producer, consumer and topic. The same numbers appear in each
 * service's application.properties (max.request.size, max.partition.fetch.bytes, fetch.max.bytes) and in the
 * topic's max.message.bytes; a job whose bundle would exceed {@link #MAX_PAYLOAD_BYTES} fails with a reason.
 */
public final class MessageLimits {
    /** Broker and client limit for one record (after compression, plus headers). */
    public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    /** Largest JSON payload a service will publish; leaves room for headers and batch overhead. */
    public static final int MAX_PAYLOAD_BYTES = MAX_MESSAGE_BYTES - 64 * 1024;
    /** Pure-Java codec: JSON compresses well and it stays native-image clean. */
    public static final String COMPRESSION = "gzip";

    private MessageLimits() {
    }
}
