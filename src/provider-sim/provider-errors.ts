// Error bodies exactly as each provider sends them, so SDKs raise the same error classes they would live.

export type Surface = 'openai' | 'anthropic';

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

export function errorBody(surface: Surface, e: ApiError, requestId: string): string {
  return surface === 'openai' ? openaiErrorBody(e) : anthropicErrorBody(e, requestId);
}

/** The helpers below word messages as the providers do, so logs and tests read like the real thing. */
export const errors = {
  invalidJson(surface: Surface): ApiError {
    return surface === 'openai'
      ? new ApiError(400, 'invalid_request_error', "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)")
      : new ApiError(400, undefined, 'There was an issue with the request body: invalid JSON.');
  },
  missing(surface: Surface, field: string): ApiError {
    return surface === 'openai'
      ? new ApiError(400, 'invalid_request_error', `Missing required parameter: '${field}'.`, 'missing_required_parameter', field)
      : new ApiError(400, undefined, `${field}: Field required`);
  },
  wrongType(surface: Surface, field: string, expected: string, got: unknown): ApiError {
    const actual = got === null ? 'null' : Array.isArray(got) ? 'an array' : `a ${typeof got}`;
    return surface === 'openai'
      ? new ApiError(400, 'invalid_request_error', `Invalid type for '${field}': expected ${expected}, but got ${actual} instead.`, 'invalid_type', field)
      : new ApiError(400, undefined, `${field}: Input should be ${expected}`);
  },
  invalidValue(surface: Surface, field: string, message: string): ApiError {
    return surface === 'openai'
      ? new ApiError(400, 'invalid_request_error', message, 'invalid_value', field)
      : new ApiError(400, undefined, `${field}: ${message}`);
  },
  unknownModel(surface: Surface, model: string): ApiError {
    return surface === 'openai'
      ? new ApiError(404, 'invalid_request_error', `The model \`${model}\` does not exist or you do not have access to it.`, 'model_not_found', 'model')
      : new ApiError(404, undefined, `model: ${model}`);
  },
  notFound(surface: Surface, what: string, id: string): ApiError {
    return surface === 'openai'
      ? new ApiError(404, 'invalid_request_error', `No ${what} found with id '${id}'.`, null, 'id')
      : new ApiError(404, undefined, `${what} not found: ${id}`);
  },
  unknownRoute(surface: Surface, method: string, path: string): ApiError {
    return surface === 'openai'
      ? new ApiError(404, 'invalid_request_error', `Invalid URL (${method} ${path})`)
      : new ApiError(404, undefined, 'Not Found');
  },
  tooLarge(surface: Surface, limit: number): ApiError {
    return surface === 'openai'
      ? new ApiError(413, 'invalid_request_error', `Request body too large: the limit is ${limit} bytes.`, 'request_too_large')
      : new ApiError(413, undefined, `Request exceeds the maximum allowed number of bytes (${limit}).`);
  },
  serverError(surface: Surface): ApiError {
    return surface === 'openai'
      ? new ApiError(500, 'server_error', 'The server had an error while processing your request. Sorry about that!')
      : new ApiError(500, undefined, 'Internal server error');
  },
  unavailable(surface: Surface): ApiError {
    return surface === 'openai'
      ? new ApiError(503, 'server_error', 'The engine is currently overloaded, please try again later.', 'service_unavailable')
      : new ApiError(503, undefined, 'Service unavailable');
  },
  overloaded(surface: Surface): ApiError {
    // 529 is Anthropic's; OpenAI signals the same condition with 503.
    return surface === 'openai' ? errors.unavailable(surface) : new ApiError(529, undefined, 'Overloaded');
  },
};
