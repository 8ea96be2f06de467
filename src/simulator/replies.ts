// Response values and the two error envelopes the API uses: Telnyx {errors:[...]} and FastAPI
// {detail:[{loc,msg,type}]} for 422 validation errors (CONTRACT.md section 4).
import type { z } from 'zod';

export interface Reply {
  status: number;
  /** JSON body; undefined = empty body. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** Thrown by handlers; the server turns it into its reply. */
export class HttpError extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

export const TITLES: Record<string, string> = {
  '10005': 'Resource not found',
  '10007': 'Unexpected error',
  '10008': 'Request timeout',
  '10009': 'Authentication failed',
  '10010': 'Authorization failed',
  '10011': 'Too many requests',
  '10015': 'Bad Request',
  '10027': 'Idempotency key reused',
  '10036': 'Request already in progress',
};

/** The Telnyx error code a status is answered with. */
export function codeForStatus(status: number): string {
  const byStatus: Record<number, string> = {
    400: '10015',
    401: '10009',
    403: '10010',
    404: '10005',
    408: '10008',
    409: '10036',
    422: '10027',
    429: '10011',
  };
  return byStatus[status] ?? (status >= 500 ? '10007' : String(status));
}

export function telnyxError(
  status: number,
  code: string,
  detail: string,
  extra?: { pointer?: string; headers?: Record<string, string> },
): Reply {
  const error: Record<string, unknown> = { code, title: TITLES[code] ?? 'Error', detail };
  if (extra?.pointer) error.source = { pointer: extra.pointer };
  error.meta = { url: `https://developers.telnyx.com/docs/overview/errors/${code}` };
  const reply: Reply = { status, body: { errors: [error] } };
  if (extra?.headers) reply.headers = extra.headers;
  return reply;
}

export const notFound = (what: string, id: string): HttpError =>
  new HttpError(telnyxError(404, '10005', `${what} ${id} not found`));

export const badRequest = (detail: string, pointer?: string): HttpError =>
  new HttpError(telnyxError(400, '10015', detail, pointer ? { pointer } : undefined));

export interface FastApiDetail {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export const validationError = (detail: FastApiDetail[]): HttpError =>
  new HttpError({ status: 422, body: { detail } });

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A zod issue in pydantic v2's words, so clients see what FastAPI would send. */
export function toFastApi(issue: z.core.$ZodIssue, prefix: (string | number)[]): FastApiDetail[] {
  const loc = [...prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return [{ loc, msg: 'Field required', type: 'missing' }];
      const types: Record<string, [string, string]> = {
        string: ['Input should be a valid string', 'string_type'],
        number: ['Input should be a valid number', 'float_type'],
        int: ['Input should be a valid integer', 'int_type'],
        boolean: ['Input should be a valid boolean', 'bool_type'],
        array: ['Input should be a valid list', 'list_type'],
        object: [
          'Input should be a valid dictionary or object to extract fields from',
          'model_attributes_type',
        ],
        record: ['Input should be a valid dictionary', 'dict_type'],
      };
      const [msg, type] = types[issue.expected] ?? [issue.message, 'type_error'];
      return [{ loc, msg, type }];
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string')
        return [
          { loc, msg: `String should have at least ${plural(min, 'character')}`, type: 'string_too_short' },
        ];
      if (issue.origin === 'array')
        return [
          {
            loc,
            msg: `List should have at least ${plural(min, 'item')} after validation`,
            type: 'too_short',
          },
        ];
      return [{ loc, msg: `Input should be greater than or equal to ${min}`, type: 'greater_than_equal' }];
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string')
        return [
          { loc, msg: `String should have at most ${plural(max, 'character')}`, type: 'string_too_long' },
        ];
      if (issue.origin === 'array')
        return [
          { loc, msg: `List should have at most ${plural(max, 'item')} after validation`, type: 'too_long' },
        ];
      return [{ loc, msg: `Input should be less than or equal to ${max}`, type: 'less_than_equal' }];
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => `'${String(v)}'`);
      const list =
        values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values.at(-1)}` : (values[0] ?? '');
      return [{ loc, msg: `Input should be ${list}`, type: 'enum' }];
    }
    case 'unrecognized_keys':
      return issue.keys.map((k) => ({
        loc: [...loc, k],
        msg: 'Extra inputs are not permitted',
        type: 'extra_forbidden',
      }));
    default:
      return [{ loc, msg: `Value error, ${issue.message}`, type: 'value_error' }];
  }
}

/** Parse with a zod schema or throw a FastAPI-style 422 located under prefix (e.g. ['body']). */
export function parseOr422<T extends z.ZodType>(
  schema: T,
  input: unknown,
  prefix: (string | number)[],
): z.output<T> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  throw validationError(result.error.issues.flatMap((i) => toFastApi(i, prefix)));
}
