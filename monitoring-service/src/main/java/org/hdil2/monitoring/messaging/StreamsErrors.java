package org.hdil2.monitoring.messaging;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.jboss.logging.Logger;

/**
 * Kafka Streams' error handlers for the evaluation, the backstop behind {@link EvaluateProcessor}'s own catch (which
 * dead-letters the record and reports the patient failing): whatever still escapes a record or a punctuation is
 * logged (never the record's content) and counted, and the stream goes on. Kafka instantiates them from the
 * configuration, so their counts are static; {@link EvaluationMetrics} exports them.
 */
public final class StreamsErrors {

    static final AtomicLong PROCESSING = new AtomicLong();
    static final AtomicLong DESERIALIZATION = new AtomicLong();
    static final AtomicLong PRODUCTION = new AtomicLong();
    private static final Logger LOG = Logger.getLogger(StreamsErrors.class);

    private StreamsErrors() {
    }

    /** An exception a processor or punctuator did not catch: skip the record (its intake then stays unevaluated, so consumers fail closed). */
    public static final class Processing implements ProcessingExceptionHandler {
        @Override
        public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            PROCESSING.incrementAndGet();
            LOG.errorf("evaluation task %s, node %s: %s escaped the processor; the record at offset %d is skipped", context.taskId(),
                    context.processorNodeId(), exception.getClass().getSimpleName(), context.offset());
            return ProcessingHandlerResponse.CONTINUE;
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    /** A record whose key or value cannot be read as text (the processor then never sees it). */
    public static final class Deserialization implements DeserializationExceptionHandler {
        @Override
        public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
            DESERIALIZATION.incrementAndGet();
            LOG.errorf("evaluation task %s: record at %s-%d offset %d cannot be deserialised (%s); skipped", context.taskId(),
                    record.topic(), record.partition(), record.offset(), exception.getClass().getSimpleName());
            return DeserializationHandlerResponse.CONTINUE;
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    /**
     * An output the broker refuses because it is too large: dropped (the patient's next checkpoint then cannot vouch
     * for an evaluation consumers did not receive, so they stay on the safe side). Any other production error fails
     * the task, whose thread is replaced.
     */
    public static final class Production implements ProductionExceptionHandler {
        @Override
        public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
            if (exception instanceof RecordTooLargeException) {
                PRODUCTION.incrementAndGet();
                LOG.errorf("evaluation task %s: an output record for %s is too large for the broker; dropped", context.taskId(), record.topic());
                return ProductionExceptionHandlerResponse.CONTINUE;
            }
            return ProductionExceptionHandlerResponse.FAIL;
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }
}
