package dev.gantry.plugins.notify;

import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepFailedException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every notification step does with a delivery that failed: fail the step when it says
 * {@code failOnError: true}, else warn in the log and let the build go on. Mistakes in the
 * pipeline (an unknown credential, a bad argument) fail the step either way.
 */
final class Deliveries {
    private Deliveries() {
    }

    /** A delivery: returns what the step returns. */
    @FunctionalInterface
    interface Delivery {
        Map<String, Object> deliver() throws Exception;
    }

    /**
     * Runs the delivery.
     *
     * @param step the step's name, which starts every message
     * @param redactor masks the secrets the delivery uses in any message
     * @return what the delivery returned, or {@code {ok: false, error: ...}} when it failed and
     *     the step does not fail on errors
     * @throws StepFailedException when the pipeline is wrong, or delivery failed and {@code failOnError}
     * @throws InterruptedException when the build is interrupted (aborted) meanwhile
     */
    static Object run(StepContext context, String step, boolean failOnError, Redactor redactor, Delivery delivery)
            throws InterruptedException {
        try {
            return delivery.deliver();
        } catch (InterruptedException e) {
            throw e;
        } catch (StepFailedException e) {
            throw new StepFailedException(redactor.redact(e.getMessage()));
        } catch (IllegalArgumentException e) {
            throw new StepFailedException(step + ": " + redactor.redact(e.getMessage()));
        } catch (Exception e) {
            String message = step + ": " + (e instanceof HttpDelivery.DeliveryException ? redactor.redact(e.getMessage()) : redactor.describe(e));
            if (failOnError) {
                throw new StepFailedException(message);
            }
            context.console().warn(message + "; the build goes on (failOnError: true would fail it)");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ok", false);
            out.put("error", message);
            return out;
        }
    }
}
