// OpenAI files: POST /v1/files (multipart, purpose=batch), list, retrieve, content, delete.
import type { Exchange } from './exchange.js';
import { boundaryOf, parseMultipart } from './multipart.js';
import { ApiError, errors } from './provider-errors.js';
import type { SimState, StoredFile } from './state.js';

const PURPOSES = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'];
/** Batch input files expire after 30 days by default. */
const BATCH_FILE_TTL_S = 30 * 24 * 3600;

export function fileObject(f: StoredFile) {
  return {
    id: f.id,
    object: 'file',
    bytes: f.content.length,
    created_at: f.createdAt,
    filename: f.filename,
    purpose: f.purpose,
    status: 'processed',
    status_details: null,
    expires_at: f.purpose === 'batch' ? f.createdAt + BATCH_FILE_TTL_S : null,
  };
}

/**
 * Keeps a file. An upload that would take the files kept past the simulator's storage limit (maxStoredBytes)
 * is refused, as a provider refuses an organisation over its storage quota: deleting files frees the space.
 * Batch output files are kept whatever the total (their batch's input was admitted; they are bounded by it).
 */
export function storeFile(state: SimState, filename: string, purpose: string, content: Buffer, opts: { upload?: boolean } = {}): StoredFile {
  if (opts.upload && state.storedBytes + content.length > state.maxStoredBytes) {
    throw new ApiError(
      400,
      'invalid_request_error',
      `File storage limit reached: the files kept use ${state.storedBytes} bytes and this upload of ${content.length} bytes would pass the limit of ${state.maxStoredBytes} bytes. Delete files (DELETE /v1/files/{file_id}) to free space.`,
      'storage_limit_exceeded',
      'file',
    );
  }
  const f: StoredFile = { id: state.id('file-'), filename, purpose, createdAt: Math.floor(state.nowMs() / 1000), content };
  state.files.set(f.id, f);
  state.storedBytes += content.length;
  return f;
}

export async function handleUploadFile(x: Exchange): Promise<void> {
  const boundary = boundaryOf(x.req.headers['content-type']);
  if (!boundary) throw errors.invalidValue('openai', 'file', 'Expected a multipart/form-data body with the fields "file" and "purpose".');
  const parts = parseMultipart(await x.readBody(x.state.maxUploadBytes), boundary);
  if (!parts) throw errors.invalidValue('openai', 'file', 'The multipart/form-data body could not be parsed.');
  const file = parts.find((p) => p.name === 'file');
  const purpose = parts.find((p) => p.name === 'purpose')?.data.toString('utf8');
  if (!file) throw errors.missing('openai', 'file');
  if (purpose === undefined) throw errors.missing('openai', 'purpose');
  if (!PURPOSES.includes(purpose)) throw errors.invalidValue('openai', 'purpose', `Invalid value: '${purpose}'. Supported values are: ${PURPOSES.map((p) => `'${p}'`).join(', ')}.`);
  const filename = file.filename ?? 'upload';
  if (purpose === 'batch' && !filename.endsWith('.jsonl')) throw errors.invalidValue('openai', 'file', `Invalid file format for Batch API. Must be .jsonl`);
  // Copy: the part is a view into the whole request body, which should not be kept alive.
  x.json(fileObject(storeFile(x.state, filename, purpose, Buffer.from(file.data), { upload: true })));
}

function fileOr404(x: Exchange, id: string): StoredFile {
  const f = x.state.files.get(id);
  if (!f) throw errors.notFound('openai', 'file', id);
  return f;
}

export function handleListFiles(x: Exchange): void {
  const purpose = x.query.get('purpose');
  const data = [...x.state.files.values()].filter((f) => !purpose || f.purpose === purpose).reverse().map(fileObject);
  x.json({ object: 'list', data, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null, has_more: false });
}

export function handleGetFile(x: Exchange, id: string): void {
  x.json(fileObject(fileOr404(x, id)));
}

export function handleFileContent(x: Exchange, id: string): void {
  const f = fileOr404(x, id);
  x.send(200, f.content, f.filename.endsWith('.jsonl') ? 'application/jsonl' : 'application/octet-stream');
}

export function handleDeleteFile(x: Exchange, id: string): void {
  const f = fileOr404(x, id);
  x.state.files.delete(id);
  x.state.storedBytes -= f.content.length;
  x.json({ id, object: 'file', deleted: true });
}
