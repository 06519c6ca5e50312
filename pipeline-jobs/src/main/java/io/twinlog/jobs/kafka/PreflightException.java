package io.twinlog.jobs.kafka;

/**
 * Why a job cannot start, in twinlog's words: a failed preflight check or invalid options. Flink's
 * REST API answers a failed submission with the whole chain of causes; the CLI shows this message
 * rather than the innermost Java exception (a TimeoutException says nothing about a wrong address).
 */
public final class PreflightException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PreflightException(String message, Throwable cause) {
        super(message, cause);
    }
}
