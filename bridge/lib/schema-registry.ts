import { SismosError } from '../../src/core/errors.ts';

type RegistryErrorCode = 'REGISTRY_UNREACHABLE' | 'REGISTRY_HTTP' | 'REGISTRY_INCOMPATIBLE';

/**
 * A schema registry that did not do what was asked. Only an incompatible schema is final: a
 * registry that is down or failing may answer at the next try.
 */
export class RegistryError extends SismosError {
  declare readonly code: RegistryErrorCode;

  constructor(code: RegistryErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, code !== 'REGISTRY_INCOMPATIBLE', options);
  }
}

/** The compatibility the registry enforces on each subject we register. */
export const SUBJECT_COMPATIBILITY = 'BACKWARD';
const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const TIMEOUT_MS = 10_000;

/**
 * A client of a registry's Confluent-compatible REST API (Apicurio's /apis/ccompat/v7, or the root
 * of Confluent's Schema Registry): registers Avro schemas and looks them up by id, cached.
 */
export class SchemaRegistry {
  readonly url: string;
  readonly #schemas = new Map<number, string>();

  constructor(url: string) {
    this.url = url.replace(/\/+$/, '');
  }

  /**
   * Makes `subject` BACKWARD compatible and registers `schema` under it; returns its id. Throws
   * RegistryError REGISTRY_INCOMPATIBLE, in one line with the registry's reason, when the registry
   * refuses it as a breaking change.
   */
  async register(subject: string, schema: string): Promise<number> {
    const path = `/subjects/${encodeURIComponent(subject)}`;
    await this.#request('PUT', `/config/${encodeURIComponent(subject)}`, {
      compatibility: SUBJECT_COMPATIBILITY,
    });
    const response = await this.#call('POST', `${path}/versions`, { schema });
    const body = await readBody(response);
    if (response.status === 409) {
      throw new RegistryError(
        'REGISTRY_INCOMPATIBLE',
        `schema registry at ${this.url} refuses the new schema for subject ${subject}: it is not ${SUBJECT_COMPATIBILITY} compatible with the registered versions (${reason(body)}); give a new field a default, keep the old fields' types, or publish to a new topic`,
      );
    }
    if (!response.ok) throw this.#httpError('POST', `${path}/versions`, response.status, body);
    const id = (body as { id?: unknown }).id;
    if (typeof id !== 'number')
      throw this.#httpError('POST', `${path}/versions`, response.status, body);
    this.#schemas.set(id, schema);
    return id;
  }

  /** The schema registered as `id`, or null when the registry has none with that id. */
  async schema(id: number): Promise<string | null> {
    const cached = this.#schemas.get(id);
    if (cached !== undefined) return cached;
    const response = await this.#call('GET', `/schemas/ids/${id}`, undefined);
    const body = await readBody(response);
    if (response.status === 404) return null;
    const schema = (body as { schema?: unknown }).schema;
    if (!response.ok || typeof schema !== 'string')
      throw this.#httpError('GET', `/schemas/ids/${id}`, response.status, body);
    this.#schemas.set(id, schema);
    return schema;
  }

  async #request(method: string, path: string, body: unknown): Promise<unknown> {
    const response = await this.#call(method, path, body);
    const answer = await readBody(response);
    if (!response.ok) throw this.#httpError(method, path, response.status, answer);
    return answer;
  }

  async #call(method: string, path: string, body: unknown): Promise<Response> {
    try {
      return await fetch(`${this.url}${path}`, {
        method,
        headers: { accept: CONTENT_TYPE, 'content-type': CONTENT_TYPE },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new RegistryError(
        'REGISTRY_UNREACHABLE',
        `schema registry at ${this.url} is unreachable (${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}); start it (npm run registry:local) or fix SCHEMA_REGISTRY_URL`,
        { cause: error },
      );
    }
  }

  #httpError(method: string, path: string, status: number, body: unknown): RegistryError {
    return new RegistryError(
      'REGISTRY_HTTP',
      `schema registry at ${this.url} answered ${method} ${path} with HTTP ${status} (${reason(body)})`,
    );
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The registry's own explanation, without the Java exception class Apicurio puts in front. */
function reason(body: unknown): string {
  const message =
    typeof body === 'object' && body !== null && 'message' in body
      ? String((body as { message: unknown }).message)
      : String(body);
  return message
    .replace(/^[\w.]+Exception: /, '')
    .replace(/ Causes: .*$/s, '')
    .slice(0, 300);
}
