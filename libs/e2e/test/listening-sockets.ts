import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A TCP socket in LISTEN state, as the kernel reports it. */
export interface ListeningSocket {
  /** Dotted IPv4 or full IPv6 in lowercase hex groups, e.g. `0:0:0:0:0:0:0:1`. */
  address: string;
  port: number;
}

const LISTEN = '0A';

/** One 32-bit word of /proc/net/tcp*, written in host (little-endian) byte order, as 4 bytes in network order. */
const wordBytes = (hex: string): number[] =>
  [6, 4, 2, 0].map((offset) => Number.parseInt(hex.slice(offset, offset + 2), 16));

function decodeAddress(hex: string): string {
  const bytes = hex.match(/.{8}/g)?.flatMap(wordBytes) ?? [];
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < bytes.length; i += 2)
    groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return groups.join(':');
}

/** The LISTEN rows of a /proc/net/tcp or tcp6 table, keyed by socket inode. */
export function parseListening(table: string): Map<string, ListeningSocket> {
  const sockets = new Map<string, ListeningSocket>();
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [, local, , state, , , , , , inode] = fields;
    if (!local || state !== LISTEN || !inode) continue;
    const [address = '', port = ''] = local.split(':');
    sockets.set(inode, { address: decodeAddress(address), port: Number.parseInt(port, 16) });
  }
  return sockets;
}

/**
 * Every TCP socket the process listens on: the namespace's LISTEN rows whose inode is one of the
 * process's open file descriptors (what `ss -ltnp` shows for it), whichever library opened it.
 */
export function listeningSocketsOf(pid: number): ListeningSocket[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // The descriptor closed between readdir and readlink.
    }
  }
  const rows = new Map([
    ...parseListening(readFileSync(`/proc/${pid}/net/tcp`, 'utf8')),
    ...parseListening(readFileSync(`/proc/${pid}/net/tcp6`, 'utf8')),
  ]);
  return [...rows].filter(([inode]) => inodes.has(inode)).map(([, socket]) => socket);
}
