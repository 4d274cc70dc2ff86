// Error bodies exactly as each provider sends them, so SDKs raise the same error classes they would live.

export type Surface = 'openai' | 'anthropic' | 'gemini';

/** A failure to report to the client in its provider's format. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** OpenAI `error.type` or Anthropic `error.type`; see anthropicType() for the Anthropic mapping. */
    readonly type: string | undefined,
    message: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
    /** Gemini's `error.details` (e.g. google.rpc.RetryInfo on a 429). */
    readonly details?: unknown[],
  ) {
    super(message);
  }
}

/** Anthropic's error type for an HTTP status (docs.claude.com/en/api/errors). */
export function anthropicType(status: number): string {
  switch (status) {
    case 400: return 'invalid_request_error';
    case 401: return 'authentication_error';
    case 402: return 'billing_error';
    case 403: return 'permission_error';
    case 404: return 'not_found_error';
    case 413: return 'request_too_large';
    case 429: return 'rate_limit_error';
    case 504: return 'timeout_error';
    case 529: return 'overloaded_error';
    default: return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

function openaiType(status: number): string {
  if (status === 429) return 'requests';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

export function openaiErrorBody(e: ApiError): string {
  return JSON.stringify({ error: { message: e.message, type: e.type ?? openaiType(e.status), param: e.param, code: e.code } });
}

export function anthropicErrorBody(e: ApiError, requestId: string): string {
  return JSON.stringify({ type: 'error', error: { type: anthropicType(e.status), message: e.message }, request_id: requestId });
}

/** Google's canonical status name for an HTTP status (google.rpc.Code, as the Gemini API reports it). */
export function geminiStatus(status: number): string {
  switch (status) {
    case 400: return 'INVALID_ARGUMENT';
    case 401: return 'UNAUTHENTICATED';
    case 403: return 'PERMISSION_DENIED';
    case 404: return 'NOT_FOUND';
    case 409: return 'ABORTED';
    case 413: return 'INVALID_ARGUMENT';
    case 429: return 'RESOURCE_EXHAUSTED';
    case 499: return 'CANCELLED';
    case 500: return 'INTERNAL';
    case 501: return 'UNIMPLEMENTED';
    case 503: return 'UNAVAILABLE';
    case 504: return 'DEADLINE_EXCEEDED';
    default: return status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION';
  }
}

/** Gemini's error body: {"error": {"code", "message", "status", "details"?}}. */
export function geminiErrorBody(e: ApiError): string {
  const error: Record<string, unknown> = { code: e.status, message: e.message, status: geminiStatus(e.status) };
  if (e.details) error.details = e.details;
  return JSON.stringify({ error });
}

export function errorBody(surface: Surface, e: ApiError, requestId: string): string {
  if (surface === 'gemini') return geminiErrorBody(e);
  return surface === 'openai' ? openaiErrorBody(e) : anthropicErrorBody(e, requestId);
}

/**
 * OpenAI's flex tier refusing a request for capacity: 429 "Resource Unavailable", not billed. OpenAI's
 * flex-processing guide names the status and the words; the body's code `resource_unavailable` is what
 * client code in the wild matches on (assumption: the type is not documented).
 */
export function flexShed(): ApiError {
  return new ApiError(429, 'invalid_request_error', 'Resource Unavailable: flex processing does not have capacity for this request right now. Retry with backoff, or send service_tier "auto" to use the default tier. You were not charged for this request.', 'resource_unavailable');
}

/** The helpers below word messages as the providers do, so logs and tests read like the real thing. */
export const errors = {
  invalidJson(surface: Surface): ApiError {
    if (surface === 'gemini') return new ApiError(400, undefined, 'Invalid JSON payload received. Unexpected token.');
    return surface === 'openai'
      ? new ApiError(400, 'invalid_request_error', "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)")
      : new ApiError(400, undefined, 'There was an issue with the request body: invalid JSON.');
  },
  missing(surface: Surface, field: string): ApiError {
    if (surface === 'gemini') return new ApiError(400, undefined, `* ${field}: field is required`);
    return surface === 'openai'
      ? new ApiError(400, 'invalid_request_error', `Missing required parameter: '${field}'.`, 'missing_required_parameter', field)
      : new ApiError(400, undefined, `${field}: Field required`);
  },
  wrongType(surface: Surface, field: string, expected: string, got: unknown): ApiError {
    const actual = got === null ? 'null' : Array.isArray(got) ? 'an array' : `a ${typeof got}`;
    if (surface === 'gemini') return new ApiError(400, undefined, `Invalid value at '${field}': expected ${expected}, got ${actual}`);
    return surface === 'openai'
      ? new ApiError(400, 'invalid_request_error', `Invalid type for '${field}': expected ${expected}, but got ${actual} instead.`, 'invalid_type', field)
      : new ApiError(400, undefined, `${field}: Input should be ${expected}`);
  },
  invalidValue(surface: Surface, field: string, message: string): ApiError {
    if (surface === 'gemini') return new ApiError(400, undefined, `Invalid value at '${field}': ${message}`);
    return surface === 'openai'
      ? new ApiError(400, 'invalid_request_error', message, 'invalid_value', field)
      : new ApiError(400, undefined, `${field}: ${message}`);
  },
  unknownModel(surface: Surface, model: string, method = 'generateContent'): ApiError {
    if (surface === 'gemini') return new ApiError(404, undefined, `models/${model} is not found for API version v1beta, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.`);
    return surface === 'openai'
      ? new ApiError(404, 'invalid_request_error', `The model \`${model}\` does not exist or you do not have access to it.`, 'model_not_found', 'model')
      : new ApiError(404, undefined, `model: ${model}`);
  },
  notFound(surface: Surface, what: string, id: string): ApiError {
    if (surface === 'gemini') return new ApiError(404, undefined, `Requested entity was not found. (${what} ${id})`);
    return surface === 'openai'
      ? new ApiError(404, 'invalid_request_error', `No ${what} found with id '${id}'.`, null, 'id')
      : new ApiError(404, undefined, `${what} not found: ${id}`);
  },
  unknownRoute(surface: Surface, method: string, path: string): ApiError {
    if (surface === 'gemini') return new ApiError(404, undefined, `Method not found: ${method} ${path}`);
    return surface === 'openai'
      ? new ApiError(404, 'invalid_request_error', `Invalid URL (${method} ${path})`)
      : new ApiError(404, undefined, 'Not Found');
  },
  tooLarge(surface: Surface, limit: number): ApiError {
    if (surface === 'gemini') return new ApiError(413, undefined, `Request payload size exceeds the limit: ${limit} bytes.`);
    return surface === 'openai'
      ? new ApiError(413, 'invalid_request_error', `Request body too large: the limit is ${limit} bytes.`, 'request_too_large')
      : new ApiError(413, undefined, `Request exceeds the maximum allowed number of bytes (${limit}).`);
  },
  serverError(surface: Surface): ApiError {
    if (surface === 'gemini') return new ApiError(500, undefined, 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting');
    return surface === 'openai'
      ? new ApiError(500, 'server_error', 'The server had an error while processing your request. Sorry about that!')
      : new ApiError(500, undefined, 'Internal server error');
  },
  unavailable(surface: Surface): ApiError {
    if (surface === 'gemini') return new ApiError(503, undefined, 'The model is overloaded. Please try again later.');
    return surface === 'openai'
      ? new ApiError(503, 'server_error', 'The engine is currently overloaded, please try again later.', 'service_unavailable')
      : new ApiError(503, undefined, 'Service unavailable');
  },
  overloaded(surface: Surface): ApiError {
    // 529 is Anthropic's; OpenAI and Gemini signal the same condition with 503.
    return surface === 'anthropic' ? new ApiError(529, undefined, 'Overloaded') : errors.unavailable(surface);
  },
};
