/** Input and output validation at the engine boundary. */
import type { z } from 'zod';
import { AppError, ErrorCode, InvalidInputError } from '../shared/errors.js';

function issuesOf(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.slice(0, 20).map((i) => ({
    path: i.path.map(String).join('.') || '(root)',
    message: i.message,
  }));
}

/** Parses an engine input; throws `InvalidInputError` naming every bad field. */
export function parseAiInput<S extends z.ZodType>(schema: S, input: unknown, operation: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = issuesOf(parsed.error);
  throw new InvalidInputError(
    `invalid input for ${operation}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  );
}

/** Checks an engine result against its schema; a mismatch is an engine bug or a bad model answer (`ai_failed`). */
export function checkAiResult<S extends z.ZodType>(schema: S, value: unknown, operation: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = issuesOf(parsed.error);
  throw new AppError(
    ErrorCode.AiFailed,
    `${operation} result does not match its schema: ${issues
      .slice(0, 5)
      .map((i) => `${i.path}: ${i.message}`)
      .join('; ')}`,
    { details: { issues } },
  );
}
