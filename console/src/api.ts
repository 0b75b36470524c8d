/**
 * The console's only way out: the gateway's admin and report APIs, on the console's own origin,
 * relative to the console's URL (`<apiUrl>/console/` → `<apiUrl>/admin/…`), with the admin token.
 */

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** 0 when the gateway could not be reached. */
    readonly status: number,
    readonly detail: string,
    readonly scimType?: string,
  ) {
    super(detail);
  }

  /** 401/403: the token is wrong, expired, revoked or not an admin token. */
  get isAuthFailure(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

export interface Api {
  get<T>(path: string, query?: URLSearchParams): Promise<T>;
  /** A response as text with its headers (a CSV export). */
  getText(path: string, query?: URLSearchParams): Promise<{ text: string; headers: Headers }>;
  post<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  del(path: string, query?: URLSearchParams): Promise<void>;
}

/** `admin/apps` → `<apiUrl>/admin/apps`; the page's `<base>` is `<apiUrl>/console/`. */
export const apiUrl = (path: string, query?: URLSearchParams): string => {
  const url = new URL(`../${path}`, document.baseURI);
  if (query) url.search = query.toString();
  return url.toString();
};

const errorOf = async (response: Response): Promise<ApiError> => {
  let detail = `The gateway answered ${response.status} ${response.statusText}.`.replace(' .', '.');
  let scimType: string | undefined;
  try {
    const body = (await response.json()) as { detail?: unknown; scimType?: unknown };
    if (typeof body.detail === 'string' && body.detail) detail = body.detail;
    if (typeof body.scimType === 'string') scimType = body.scimType;
  } catch {
    // Not JSON: keep the status line.
  }
  return new ApiError(response.status, detail, scimType);
};

export const createApi = (token: () => string | undefined, onAuthFailure: (error: ApiError) => void): Api => {
  const send = async (method: string, path: string, options: { body?: unknown; query?: URLSearchParams } = {}): Promise<Response> => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const bearer = token();
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(apiUrl(path, options.query), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'The gateway could not be reached. Check that it is running and try again.');
    }
    if (!response.ok) {
      const error = await errorOf(response);
      if (error.isAuthFailure) onAuthFailure(error);
      throw error;
    }
    return response;
  };
  const call = async <T>(method: string, path: string, options: { body?: unknown; query?: URLSearchParams } = {}): Promise<T> => {
    const response = await send(method, path, options);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  };
  return {
    get: (path, query) => call('GET', path, { query }),
    getText: async (path, query) => {
      const response = await send('GET', path, { query });
      return { text: await response.text(), headers: response.headers };
    },
    post: (path, body) => call('POST', path, { body: body ?? {} }),
    patch: (path, body) => call('PATCH', path, { body }),
    put: (path, body) => call('PUT', path, { body }),
    del: (path, query) => call('DELETE', path, { query }),
  };
};
