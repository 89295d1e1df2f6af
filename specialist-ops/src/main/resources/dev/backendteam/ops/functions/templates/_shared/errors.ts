// Every failure leaves a function as one JSON shape: { "error": { "code", "message", "details"? } }.
export type ErrorCode =
  | "invalid_body"
  | "unauthorized"
  | "invalid_signature"
  | "method_not_allowed"
  | "misconfigured"
  | "upstream_failed"
  | "database_error"
  | "internal";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function errorResponse(
  status: number,
  code: ErrorCode,
  message: string,
  details?: unknown,
  headers: Record<string, string> = {},
): Response {
  return Response.json({ error: details === undefined ? { code, message } : { code, message, details } }, {
    status,
    headers,
  });
}

/** An HttpError as its response; anything else is logged and answered 500 without its message. */
export function handleError(e: unknown, headers: Record<string, string> = {}): Response {
  if (e instanceof HttpError) {
    return errorResponse(e.status, e.code, e.message, e.details, headers);
  }
  console.error(e);
  return errorResponse(500, "internal", "internal error", undefined, headers);
}
