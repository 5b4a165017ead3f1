package dev.gantry.engine.run;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Masks the secrets of a build in its log, before any sink (console, log store, JSON lines,
 * followers) sees a byte. Whole lines are masked at once. A line that arrives in pieces (a process
 * writing a line longer than the splitter's bound) is masked as a stream: each piece is passed on
 * except its last {@code longest secret - 1} bytes, which are held back and masked together with
 * the next piece, so a secret split across pieces is still found. The hold-back state belongs to
 * the {@link LogSink.LogSource} instance writing the line; every stream has its own.
 */
final class MaskingLogSink implements LogSink {
    private final LogSink delegate;
    private final BuildSecrets secrets;
    private final Map<LogSource, Carry> carries = new IdentityHashMap<>();

    /** Bytes held back from a line in progress, and whether its start went out already. */
    private static final class Carry {
        byte[] held = new byte[0];
        boolean started;
    }

    MaskingLogSink(LogSink delegate, BuildSecrets secrets) {
        this.delegate = delegate;
        this.secrets = secrets;
    }

    @Override
    public synchronized void chunk(LogSource source, byte[] bytes, int offset, int length, boolean startsLine, boolean endsLine) {
        SecretMasker masker = secrets.masker();
        Carry carry = carries.isEmpty() ? null : carries.get(source);
        if (carry == null && masker.isEmpty()) {
            delegate.chunk(source, bytes, offset, length, startsLine, endsLine);
            return;
        }
        if (carry == null && startsLine && endsLine) {
            SecretMasker.Masked m = masker.mask(bytes, offset, length, length);
            delegate.chunk(source, m.bytes(), m.offset(), m.length(), true, true);
            return;
        }
        if (carry == null) {
            carry = new Carry();
            carry.started = !startsLine;
        }
        byte[] data = new byte[carry.held.length + length];
        System.arraycopy(carry.held, 0, data, 0, carry.held.length);
        System.arraycopy(bytes, offset, data, carry.held.length, length);
        if (endsLine) {
            carries.remove(source);
            SecretMasker.Masked m = masker.mask(data, 0, data.length, data.length);
            delegate.chunk(source, m.bytes(), m.offset(), m.length(), !carry.started, true);
            return;
        }
        int emit = Math.max(0, data.length - Math.max(0, masker.longest() - 1));
        SecretMasker.Masked m = masker.mask(data, 0, data.length, emit);
        if (m.consumed() > 0) {
            delegate.chunk(source, m.bytes(), m.offset(), m.length(), !carry.started, false);
            carry.started = true;
        }
        carry.held = java.util.Arrays.copyOfRange(data, m.consumed(), data.length);
        carries.put(source, carry);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public void stepStarted(LogSource source, String stepName) {
        delegate.stepStarted(source, stepName);
    }

    @Override
    public void stepFinished(LogSource source, String status) {
        delegate.stepFinished(source, status);
    }

    @Override
    public void stageStarted(String stageId, String name, String parentId) {
        delegate.stageStarted(stageId, name, parentId);
    }

    @Override
    public void stageFinished(String stageId, String status, long durationMillis) {
        delegate.stageFinished(stageId, status, durationMillis);
    }
}
