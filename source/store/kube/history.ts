// The cluster's revision history: the Secret `dex-config-history` beside `dex-config` (same
// namespace, Opaque, readable by whoever may read dex-config's secrets), written with its
// resourceVersion as precondition; who made a revision is what the API server says the caller is
// (SelfSubjectReview), and the kubeconfig's user name only when the server cannot say.
import {
  decodeHistory,
  HistoryFormatError,
  keepFromAnnotation,
  stampAnnotations,
  type Author,
} from '../../domain/history.js';
import {
  DEX_CONFIG,
  DEX_CONFIG_HISTORY,
  HISTORY_KEEP_ANNOTATION,
  STAMP_REVISION,
} from '../../domain/names.js';
import { StoreError } from '../errors.js';
import type { HistoryIO, StoredHistory } from '../history.js';
import { encodeBase64, secretFromRaw, type RawObject } from '../objects.js';
import type { SecretObject } from '../types.js';
import type { KubeHttp } from './http.js';

const MERGE_PATCH = 'application/merge-patch+json';

export class KubeHistory implements HistoryIO {
  readonly scope = 'cluster' as const;
  private who?: Promise<Author>;

  constructor(
    private readonly http: KubeHttp,
    private readonly namespace: string,
    /** The kubeconfig user of the context: the fallback author. */
    private readonly kubeconfigUser: () => string | undefined,
  ) {}

  private path(name = DEX_CONFIG_HISTORY): string {
    return `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/secrets/${name}`;
  }

  private target(verb: string, name = DEX_CONFIG_HISTORY) {
    return { verb, resource: 'secrets', name, namespace: this.namespace };
  }

  author(): Promise<Author> {
    this.who ??= this.http
      .request<{ status?: { userInfo?: { username?: string } } }>(
        'POST',
        '/apis/authentication.k8s.io/v1/selfsubjectreviews',
        { verb: 'create', resource: 'selfsubjectreviews', namespace: this.namespace },
        { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } },
      )
      .then((res): Author => {
        const name = res.body.status?.userInfo?.username;
        if (!name) throw new Error('no username in the SelfSubjectReview');
        return { name, source: 'server' };
      })
      .catch((): Author => ({ name: this.kubeconfigUser() ?? 'unknown', source: 'kubeconfig' }));
    return this.who;
  }

  async read(): Promise<StoredHistory> {
    const res = await this.http.request<RawObject>('GET', this.path(), this.target('get'), { allow: [404] });
    if (res.status === 404) return { ...keepFromAnnotation(undefined), doc: decodeHistory({}) };
    const secret = secretFromRaw(res.body, this.namespace);
    const { keep, problem } = keepFromAnnotation(secret.annotations[HISTORY_KEEP_ANNOTATION]);
    try {
      return {
        doc: decodeHistory(secret.data),
        version: secret.resourceVersion,
        keep,
        ...(problem ? { keepProblem: problem } : {}),
      };
    } catch (err) {
      if (!(err instanceof HistoryFormatError)) throw err;
      throw new StoreError(
        'Invalid',
        `Secret "${DEX_CONFIG_HISTORY}" does not hold a history the tool can read: ${err.message}`,
        `inspect it with: kubectl get secret ${DEX_CONFIG_HISTORY} -n ${this.namespace} -o yaml (delete it to start a new history)`,
      );
    }
  }

  async write(
    doc: Parameters<HistoryIO['write']>[0],
    version: string | undefined,
  ): Promise<'ok' | 'conflict'> {
    const data = { 'revisions.json': encodeBase64(JSON.stringify(doc)) };
    if (version === undefined) {
      const res = await this.http.request(
        'POST',
        `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/secrets`,
        this.target('create'),
        {
          body: {
            apiVersion: 'v1',
            kind: 'Secret',
            type: 'Opaque',
            metadata: {
              name: DEX_CONFIG_HISTORY,
              labels: { 'app.kubernetes.io/managed-by': 'epinio-dex-admin' },
            },
            data,
          },
          allow: [409],
        },
      );
      return res.status === 409 ? 'conflict' : 'ok';
    }
    const res = await this.http.request('PATCH', this.path(), this.target('patch'), {
      body: { metadata: { resourceVersion: version }, data },
      contentType: MERGE_PATCH,
      allow: [409, 404],
    });
    return res.status === 409 || res.status === 404 ? 'conflict' : 'ok';
  }

  /** Stamps `dex-config` with the recorded revision, unless someone wrote it since (then theirs counts). */
  async stampRevision(written: SecretObject, revision: number): Promise<SecretObject> {
    const res = await this.http.request<RawObject>(
      'PATCH',
      this.path(DEX_CONFIG),
      this.target('patch', DEX_CONFIG),
      {
        body: {
          metadata: {
            resourceVersion: written.resourceVersion,
            annotations: { [STAMP_REVISION]: String(revision) },
          },
        },
        contentType: MERGE_PATCH,
        allow: [409],
      },
    );
    return res.status === 409 ? written : secretFromRaw(res.body, this.namespace);
  }
}

/** The merge patch's annotations for a `dex-config` write: the hash of the data the write leaves. */
export const hashStamp = (data: Record<string, string>) => stampAnnotations(data);
