package dev.lethe.config;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;

/**
 * A Quarkus cron expression (Quartz syntax, seconds first: {@code 0 0/5 * * * ?}), checked when the configuration
 * is read, so that a typo is refused with the property's name before anything starts.
 */
public record CronExpression(String expression) {

    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    public CronExpression {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("a cron expression cannot be empty");
        }
        expression = expression.trim();
        try {
            QUARTZ.parse(expression).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + expression + "' is not a Quartz cron expression (seconds first, "
                    + "such as 0 0/5 * * * ?): " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return expression;
    }

    /** Reads the expression from configuration; the reason a bad one is refused reaches the error message. */
    public static final class Converter implements org.eclipse.microprofile.config.spi.Converter<CronExpression> {
        @Override
        public CronExpression convert(String value) {
            return new CronExpression(value);
        }
    }
}
