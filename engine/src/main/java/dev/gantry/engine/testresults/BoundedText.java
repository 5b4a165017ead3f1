package dev.gantry.engine.testresults;

/**
 * Text collected from a report with bounded memory: keeps the first and the last {@code half}
 * characters and counts what lies between, like Jenkins' trimming of long test output. The head
 * shows where a stack trace starts, the tail where output ended. Not thread-safe.
 */
final class BoundedText {
    private final int half;
    private final StringBuilder head = new StringBuilder();
    /** Ring of the characters after the head; grows up to {@code half}, then wraps. */
    private char[] ring = new char[0];
    private int ringLength;
    private int ringPos;
    private long total;

    BoundedText(int half) {
        if (half < 1) {
            throw new IllegalArgumentException("half must be positive: " + half);
        }
        this.half = half;
    }

    void append(char[] chars, int offset, int length) {
        total += length;
        int toHead = Math.min(length, half - head.length());
        if (toHead > 0) {
            head.append(chars, offset, toHead);
            offset += toHead;
            length -= toHead;
        }
        if (length > 0) {
            toRing(chars, offset, length);
        }
    }

    void append(String s) {
        append(s.toCharArray(), 0, s.length());
    }

    private void toRing(char[] chars, int offset, int length) {
        if (length >= half) {
            // Only the last half characters survive; start the ring afresh with them.
            ensureCapacity(half);
            System.arraycopy(chars, offset + length - half, ring, 0, half);
            ringLength = half;
            ringPos = 0;
            return;
        }
        ensureCapacity(Math.min(half, ringLength + length));
        for (int i = 0; i < length; i++) {
            ring[ringPos] = chars[offset + i];
            ringPos = (ringPos + 1) % ring.length;
            if (ringLength < ring.length) {
                ringLength++;
            }
        }
    }

    /** Grows the ring before it wraps; once it holds {@code half} characters it never grows again. */
    private void ensureCapacity(int needed) {
        if (ring.length >= needed) {
            return;
        }
        int capacity = Math.min(half, Math.max(needed, Math.max(256, ring.length * 2)));
        char[] bigger = new char[capacity];
        // Not yet wrapped: the content is ring[0 .. ringLength).
        System.arraycopy(ring, 0, bigger, 0, ringLength);
        ring = bigger;
        ringPos = ringLength % capacity;
    }

    boolean isEmpty() {
        return total == 0;
    }

    boolean isBlank() {
        return total == 0 || toString().isBlank();
    }

    /** Characters appended so far, including those dropped. */
    long length() {
        return total;
    }

    @Override
    public String toString() {
        return toString(half);
    }

    /**
     * The text trimmed to at most {@code limitHalf} characters at each end (no more than the
     * {@code half} this collector keeps), with a marker saying how many were left out.
     */
    String toString(int limitHalf) {
        int h = Math.min(limitHalf, half);
        String start;
        String end;
        if (total <= 2L * half) {
            String all = head.toString() + tail();
            if (all.length() <= 2 * h) {
                return all;
            }
            start = all.substring(0, h);
            end = all.substring(all.length() - h);
        } else {
            String tail = tail();
            start = head.substring(0, h);
            end = tail.substring(tail.length() - h);
        }
        // Do not cut a surrogate pair in two.
        if (!start.isEmpty() && Character.isHighSurrogate(start.charAt(start.length() - 1))) {
            start = start.substring(0, start.length() - 1);
        }
        if (!end.isEmpty() && Character.isLowSurrogate(end.charAt(0))) {
            end = end.substring(1);
        }
        long omitted = total - start.length() - end.length();
        return start + "\n...[truncated " + omitted + " characters]...\n" + end;
    }

    private String tail() {
        if (ringLength < ring.length || ringPos == 0) {
            return new String(ring, 0, ringLength);
        }
        return new String(ring, ringPos, ring.length - ringPos) + new String(ring, 0, ringPos);
    }
}
