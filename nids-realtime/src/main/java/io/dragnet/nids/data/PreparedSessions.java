package io.dragnet.nids.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sessions in their wire form without the send time, ready to send: what a sensor holds before the clock starts.
 * <p>
 * Each session's key and line ({@link SessionCodec#template}) are packed as UTF-8 into a few large byte arrays rather
 * than kept as strings: the bench replays millions of sessions from the stream's own JVM, and as millions of objects
 * they would sit in the old generation for the whole run, traced by every marking cycle and copied by mixed
 * collections on the clock the stream is measured by. A session is laid out as key, the line's head, the line's tail.
 */
public final class PreparedSessions
{
    private static final int DEFAULT_CHUNK_BYTES = 64 << 20;

    private final byte[][] chunks;
    private final int[] chunkOf;
    private final int[] startOf;
    private final int[] keyLength;
    private final int[] headLength;
    private final int[] tailLength;

    private PreparedSessions(byte[][] chunks, int[] chunkOf, int[] startOf, int[] keyLength, int[] headLength, int[] tailLength)
    {
        this.chunks = chunks;
        this.chunkOf = chunkOf;
        this.startOf = startOf;
        this.keyLength = keyLength;
        this.headLength = headLength;
        this.tailLength = tailLength;
    }

    public static PreparedSessions of(List<SensorSession> sessions)
    {
        return of(sessions, DEFAULT_CHUNK_BYTES);
    }

    /** With chunks of about {@code chunkBytes} (a session larger than that gets a chunk of its own size). */
    static PreparedSessions of(List<SensorSession> sessions, int chunkBytes)
    {
        int n = sessions.size();
        int[] chunkOf = new int[n];
        int[] startOf = new int[n];
        int[] keyLength = new int[n];
        int[] headLength = new int[n];
        int[] tailLength = new int[n];
        List<byte[]> chunks = new ArrayList<>();
        byte[] chunk = new byte[0];
        int used = 0;
        for (int i = 0; i < n; i++) {
            SensorSession session = sessions.get(i);
            SessionCodec.Template template = SessionCodec.template(session);
            byte[] key = session.sessionId().getBytes(StandardCharsets.UTF_8);
            byte[] head = template.head().getBytes(StandardCharsets.UTF_8);
            byte[] tail = template.tail().getBytes(StandardCharsets.UTF_8);
            int size = key.length + head.length + tail.length;
            if (used + size > chunk.length) {
                // a full chunk keeps its few spare bytes; only the last one is trimmed
                chunk = new byte[Math.max(chunkBytes, size)];
                chunks.add(chunk);
                used = 0;
            }
            chunkOf[i] = chunks.size() - 1;
            startOf[i] = used;
            keyLength[i] = key.length;
            headLength[i] = head.length;
            tailLength[i] = tail.length;
            System.arraycopy(key, 0, chunk, used, key.length);
            System.arraycopy(head, 0, chunk, used + key.length, head.length);
            System.arraycopy(tail, 0, chunk, used + key.length + head.length, tail.length);
            used += size;
        }
        if (!chunks.isEmpty()) {
            chunks.set(chunks.size() - 1, Arrays.copyOf(chunk, used));
        }
        return new PreparedSessions(chunks.toArray(byte[][]::new), chunkOf, startOf, keyLength, headLength, tailLength);
    }

    public int size()
    {
        return chunkOf.length;
    }

    /** The session's id as UTF-8: its record key. */
    public byte[] key(int session)
    {
        int start = startOf[session];
        return Arrays.copyOfRange(chunks[chunkOf[session]], start, start + keyLength[session]);
    }

    /** The session's line stamped with its send time, as UTF-8: the bytes of {@code SessionCodec.encode(session, sentAtMs)}. */
    public byte[] line(int session, long sentAtMs)
    {
        byte[] chunk = chunks[chunkOf[session]];
        int head = startOf[session] + keyLength[session];
        int headBytes = headLength[session];
        int tailBytes = tailLength[session];
        int digits = PlainInteger.length(sentAtMs);
        byte[] line = new byte[headBytes + digits + tailBytes];
        System.arraycopy(chunk, head, line, 0, headBytes);
        PlainInteger.write(sentAtMs, line, headBytes, digits);
        System.arraycopy(chunk, head + headBytes, line, headBytes + digits, tailBytes);
        return line;
    }
}
