import type { StackUser } from '../config.ts';
import type { Allocation, App, GpuNode, Notebook, PlatformSeed, Project, Tenant } from './records.ts';

/** A tenant and project pair: what the shell calls the user's context. */
export type Context = { tenant: Tenant; project: Project };

/**
 * The platform's seeded records and who may see what. Read-only after start: the records that change
 * (sessions, workloads) live in their own stores. Every service asks this one object, so the app,
 * the API, the notebook and the terminal service agree on membership and ownership.
 */
export class Platform {
  readonly #users: Map<string, StackUser>;
  readonly #tenants: Map<string, Tenant>;
  readonly #projects: Map<string, Project>;
  readonly #apps: Map<string, App>;
  readonly #allocations: Map<string, Allocation>;
  readonly #notebooks: Map<string, Notebook>;

  constructor(
    private readonly seed: PlatformSeed,
    users: readonly StackUser[],
  ) {
    this.#users = byId(users);
    this.#tenants = byId(seed.tenants);
    this.#projects = byId(seed.projects);
    this.#apps = byId(seed.apps);
    this.#allocations = byId(seed.allocations);
    this.#notebooks = byId(seed.notebooks);
  }

  /** The first seed user (the api-anonymous-bypass fault's stand-in for a caller without a session). */
  firstUser(): StackUser {
    return this.#users.values().next().value!;
  }

  user(id: string): StackUser | undefined {
    return this.#users.get(id);
  }

  tenant(id: string): Tenant | undefined {
    return this.#tenants.get(id);
  }

  project(id: string): Project | undefined {
    return this.#projects.get(id);
  }

  /** The user's tenants, in membership (seed) order. */
  tenantsOf(userId: string): Tenant[] {
    return this.seed.memberships.filter(m => m.user === userId).map(m => this.#tenants.get(m.tenant)!);
  }

  isMember(userId: string, tenantId: string): boolean {
    return this.seed.memberships.some(m => m.user === userId && m.tenant === tenantId);
  }

  projectsOf(tenantId: string): Project[] {
    return this.seed.projects.filter(p => p.tenant === tenantId);
  }

  /** Whether the user may work in the project: it belongs to one of the user's tenants. */
  canUseProject(userId: string, projectId: string): boolean {
    const project = this.#projects.get(projectId);
    return !!project && this.isMember(userId, project.tenant);
  }

  /** Where a new session starts: the user's first tenant and that tenant's first project. */
  defaultContext(userId: string): Context | undefined {
    for (const tenant of this.tenantsOf(userId)) {
      const [project] = this.projectsOf(tenant.id);
      if (project) return { tenant, project };
    }
    return undefined;
  }

  apps(): App[] {
    return this.seed.apps;
  }

  app(id: string): App | undefined {
    return this.#apps.get(id);
  }

  allocation(id: string): Allocation | undefined {
    return this.#allocations.get(id);
  }

  /** GPUs the project's active allocations hold: what its quota has left is `gpus` minus this. */
  gpusInUse(projectId: string): number {
    return this.seed.allocations
      .filter(a => a.project === projectId && a.state === 'active')
      .reduce((sum, a) => sum + a.gpus, 0);
  }

  allocationsOf(userId: string): Allocation[] {
    return this.seed.allocations.filter(a => a.user === userId);
  }

  notebook(id: string): Notebook | undefined {
    return this.#notebooks.get(id);
  }

  notebooksOf(userId: string, projectId: string): Notebook[] {
    return this.seed.notebooks.filter(n => n.user === userId && n.project === projectId);
  }

  nodes(): GpuNode[] {
    return this.seed.nodes;
  }
}

function byId<T extends { id: string }>(list: readonly T[]): Map<string, T> {
  return new Map(list.map(item => [item.id, item]));
}
