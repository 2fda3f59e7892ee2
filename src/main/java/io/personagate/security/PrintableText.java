package io.personagate.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * Text from outside that the service stores or logs: at most {@link #max()} characters
 * (code points, so that an emoji counts as one), none of them a control character, a line
 * or paragraph separator or a lone surrogate, which PostgreSQL cannot store (a NUL) or
 * which would let the text forge a log line. With {@link #lineBreaks()}, line breaks and
 * tabs are allowed (a note written by a person). {@code null} is valid: say
 * {@code @NotBlank} where a value is required. The one rule for every argument of the
 * operator API ({@link ReferenceIds#fits}); on a record component it applies to the field
 * only, so that each value is checked once.
 */
@Documented
@Constraint(validatedBy = PrintableText.Validator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER })
@Retention(RetentionPolicy.RUNTIME)
public @interface PrintableText {

	/** Most characters (code points). */
	int max();

	/** Whether line breaks and tabs are allowed. */
	boolean lineBreaks() default false;

	String message() default "must be at most {max} characters, without control characters";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	/** Checks {@link PrintableText}. */
	class Validator implements ConstraintValidator<PrintableText, String> {

		private int max;

		private boolean lineBreaks;

		@Override
		public void initialize(PrintableText constraint) {
			this.max = constraint.max();
			this.lineBreaks = constraint.lineBreaks();
		}

		@Override
		public boolean isValid(String value, ConstraintValidatorContext context) {
			if (value == null) {
				return true;
			}
			return this.lineBreaks ? ReferenceIds.fits(value.replaceAll("\r\n|[\r\n\t]", " "), this.max)
					: ReferenceIds.fits(value, this.max);
		}

	}

}
