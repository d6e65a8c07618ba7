import { getProjects, names } from '@nx/devkit';
import type { Tree } from '@nx/devkit';

/** Names that stand for something else in this workspace, whatever exists on disk. */
const RESERVED = ['billing', 'connectivity', 'e2e', 'tools', 'libs'];

/** Lower-case kebab-case starting with a letter: `notifications`, `fraud-checks`, `sms2`. */
const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * The longest name: PostgreSQL cuts identifiers at 63 bytes, and the longest one made from the
 * name is the unique index `<name>_requests_canonical_url_key`.
 */
const MAX_LENGTH = 32;

/** The spellings of one service's name that the templates use. */
export interface ServiceNames {
  /** `fraud-checks`: the app's folder, Nx project, routes, files and compose service. */
  name: string;
  /** `FraudChecks`: classes. */
  className: string;
  /** `fraudChecks`: variables and functions. */
  propertyName: string;
  /** `FRAUD_CHECKS`: constants and environment variables. */
  constantName: string;
  /** `fraud_checks`: the database and its tables. */
  snakeName: string;
}

export function serviceNames(name: string): ServiceNames {
  const { className, propertyName, constantName } = names(name);
  return { name, className, propertyName, constantName, snakeName: name.replaceAll('-', '_') };
}

/**
 * Why `name` cannot name a new service in `tree`, in a sentence for the person who typed it;
 * undefined when it can.
 */
export function whyNotAServiceName(tree: Tree, name: string): string | undefined {
  if (!KEBAB_CASE.test(name)) {
    return `"${name}" is not a service name: use lower-case kebab-case that starts with a letter, such as notifications or fraud-checks`;
  }
  if (name.length > MAX_LENGTH) return `"${name}" is too long for a service name: ${MAX_LENGTH} characters at most`;
  if (RESERVED.includes(name)) return `"${name}" is reserved in this workspace: choose another name`;
  if (tree.exists(`apps/${name}`)) return `apps/${name} already exists: choose another name, or remove apps/${name} first`;
  const project = getProjects(tree).get(name);
  if (project) return `"${name}" is already the Nx project in ${project.root}: choose another name`;
  // tools/build.mjs builds each app and each tool by its folder's name: one name, one thing.
  if (tree.exists(`tools/${name}`)) return `"${name}" is taken by tools/${name}, which tools/build.mjs builds under that name: choose another name`;
  return undefined;
}
