import { ValidationPipe, ValidationError as ClassValidatorError, ValidationPipeOptions } from '@nestjs/common';
import { MissingFieldsError, ValidationError } from '../errors/error-classes';
import { SwitchboardError } from '../errors/switchboard.error';
import { ErrorClass, reportedErrorClass } from './report-as.decorator';

interface FieldProblem {
  field: string;
  problems: string[];
  missing: boolean;
  errorClass?: ErrorClass;
}

/**
 * The global pipe: whitelists and transforms DTOs, and turns class-validator's findings
 * into the contract's error classes with `details.fields` listing every problem. Socket
 * payloads use the same pipe with `forbidNonWhitelisted: false` (the seeds' clients send extra fields).
 */
export function createValidationPipe(overrides: Pick<ValidationPipeOptions, 'forbidNonWhitelisted'> = {}): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: false,
    validationError: { target: true, value: false },
    exceptionFactory: (errors) => toContractError(errors),
    ...overrides,
  });
}

export function toContractError(errors: ClassValidatorError[]): SwitchboardError {
  const fields = flatten(errors);
  const details = { fields: Object.fromEntries(fields.map((f) => [f.field, f.problems])) };
  const message = fields.map((f) => `${f.field}: ${f.problems.join(', ')}`).join('; ');
  const reported = fields.find((f) => f.errorClass && !f.missing)?.errorClass;
  if (reported) return new reported(message, details);
  if (fields.every((f) => f.missing)) {
    return new MissingFieldsError(`Missing required fields: ${fields.map((f) => f.field).join(', ')}`, {
      ...details,
      missingFields: fields.map((f) => f.field),
    });
  }
  return new ValidationError(message, details);
}

function flatten(errors: ClassValidatorError[], prefix = '', inherited?: ErrorClass): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const errorClass = reportedErrorClass(error.target, error.property) ?? inherited;
    const own: FieldProblem[] = error.constraints
      ? [
          {
            field,
            problems: Object.values(error.constraints),
            missing: error.value === undefined && !prefix.includes('[') && isMissing(error),
            errorClass,
          },
        ]
      : [];
    return [...own, ...flatten(error.children ?? [], field, errorClass)];
  });
}

function isMissing(error: ClassValidatorError): boolean {
  return 'isDefined' in (error.constraints ?? {}) || (error.target as Record<string, unknown> | undefined)?.[error.property] === undefined;
}
