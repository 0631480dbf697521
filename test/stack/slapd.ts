// A real LDAP directory for the suites that log in through Dex's ldap connector: Debian's OpenLDAP
// `slapd` (installed by .ci/run), never the system service: our own slapd.conf with the core,
// cosine, inetorgperson and nis schemas, an mdb database in a temp dir, on a loopback port. The
// caller describes the people and groups; they are loaded with slapadd before the server starts.
//
// Started per test file (startSlapd in a `before`), so suites that need no LDAP pay nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptsConnections, freePort, startOwnedServer, waitUntil } from './processes.js';

export interface LdapPerson {
  /** The uid (login name); the entry is uid=<uid>,ou=people,<base>. */
  uid: string;
  password: string;
  mail: string;
  cn: string;
}

export interface LdapGroup {
  /** The cn; the entry is cn=<cn>,ou=groups,<base> (groupOfNames, members by DN). */
  cn: string;
  members: string[];
}

export interface Directory {
  people: LdapPerson[];
  groups: LdapGroup[];
}

export interface RunningSlapd {
  /** host:port as Dex's `host` wants it (no scheme). */
  host: string;
  baseDN: string;
  peopleDN: string;
  groupsDN: string;
  /** The read-only service account Dex binds as. */
  bindDN: string;
  bindPW: string;
  /** Milliseconds from spawning slapd to the first accepted connection. */
  startupMs: number;
  log: string;
  stop(): Promise<void>;
}

const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';
const SCHEMA_DIR = '/etc/ldap/schema';
const MODULE_DIR = '/usr/lib/ldap';
const BASE_DN = 'dc=example,dc=org';

export function slapdAvailable(): boolean {
  return existsSync(SLAPD) && existsSync(SLAPADD) && existsSync(join(SCHEMA_DIR, 'nis.schema'));
}

function ldif(dir: Directory, bindPW: string): string {
  const entries = [
    `dn: ${BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example`,
    `dn: ou=people,${BASE_DN}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ou=groups,${BASE_DN}\nobjectClass: organizationalUnit\nou: groups`,
    `dn: cn=dex,${BASE_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: dex\nuserPassword: ${bindPW}`,
    ...dir.people.map((p) =>
      [
        `dn: uid=${p.uid},ou=people,${BASE_DN}`,
        'objectClass: inetOrgPerson',
        `uid: ${p.uid}`,
        `cn: ${p.cn}`,
        `sn: ${p.cn.split(' ').pop()}`,
        `mail: ${p.mail}`,
        `userPassword: ${p.password}`,
      ].join('\n'),
    ),
    ...dir.groups.map((g) =>
      [
        `dn: cn=${g.cn},ou=groups,${BASE_DN}`,
        'objectClass: groupOfNames',
        `cn: ${g.cn}`,
        ...g.members.map((uid) => `member: uid=${uid},ou=people,${BASE_DN}`),
      ].join('\n'),
    ),
  ];
  return `${entries.join('\n\n')}\n`;
}

function slapdConf(dir: string): string {
  return `${['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include ${SCHEMA_DIR}/${s}.schema`).join('\n')}
modulepath ${MODULE_DIR}
moduleload back_mdb
pidfile ${join(dir, 'slapd.pid')}
database mdb
maxsize 10485760
suffix "${BASE_DN}"
rootdn "cn=admin,${BASE_DN}"
rootpw admin-not-used-by-tests
directory ${join(dir, 'db')}
# Passwords serve only to bind; everything else is readable by any bound account (Dex's service
# account cn=dex, or a person, as some directories allow), never anonymously.
access to attrs=userPassword by anonymous auth by * none
access to * by users read by * none
`;
}

export async function startSlapd(directory: Directory): Promise<RunningSlapd> {
  if (!slapdAvailable())
    throw new Error(
      'slapd is required for the LDAP suites but /usr/sbin/slapd or the OpenLDAP schemas are missing: ' +
        'apt-get install slapd ldap-utils (.ci/run does this on CI machines).',
    );
  const dir = mkdtempSync(join(tmpdir(), 'eda-slapd-'));
  const bindPW = 'dex-bind-secret';
  const conf = join(dir, 'slapd.conf');
  mkdirSync(join(dir, 'db'));
  writeFileSync(conf, slapdConf(dir));
  writeFileSync(join(dir, 'data.ldif'), ldif(directory, bindPW));
  const load = spawnSync(SLAPADD, ['-f', conf, '-l', join(dir, 'data.ldif')], { encoding: 'utf8' });
  if (load.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`slapadd failed (exit ${load.status}): ${load.stderr}`);
  }
  const port = await freePort();
  const log = join(dir, 'slapd.log');
  const started = Date.now();
  // -d 0: stay in the foreground (a child we can stop and watch), without debug output.
  const { child, stop } = startOwnedServer(
    SLAPD,
    ['-f', conf, '-h', `ldap://127.0.0.1:${port}/`, '-d', '0'],
    dir,
    log,
  );
  try {
    await waitUntil('slapd', child, log, 30_000, () => acceptsConnections(port));
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    host: `127.0.0.1:${port}`,
    baseDN: BASE_DN,
    peopleDN: `ou=people,${BASE_DN}`,
    groupsDN: `ou=groups,${BASE_DN}`,
    bindDN: `cn=dex,${BASE_DN}`,
    bindPW,
    startupMs: Date.now() - started,
    log,
    stop,
  };
}
