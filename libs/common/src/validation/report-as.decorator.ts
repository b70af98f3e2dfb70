import { SwitchboardError } from '../errors/switchboard.error';

export type ErrorClass = new (message: string, details?: Record<string, unknown>) => SwitchboardError;

const REPORT_AS = Symbol('switchboard:report-as');

/**
 * Names the contract's error class for a DTO property, so a failed check on it answers
 * e.g. `InvalidContentError` instead of the generic `ValidationError`.
 */
export function ReportAs(errorClass: ErrorClass): PropertyDecorator {
  return (target, property) => Reflect.defineMetadata(REPORT_AS, errorClass, target, property);
}

export function reportedErrorClass(target: object | undefined, property: string): ErrorClass | undefined {
  return target ? Reflect.getMetadata(REPORT_AS, target, property) : undefined;
}
