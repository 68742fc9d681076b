/** Error codes are stable for callers and dashboards; the HTTP status is chosen here, once. */
export const ERROR_STATUS = {
  INVALID_SIGNATURE: 401,
  FORBIDDEN: 403,
  BODY_TOO_LARGE: 413,
  UNAVAILABLE: 503,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const errorBody = (code: ErrorCode, message: string) => ({ error: { code, message } });
