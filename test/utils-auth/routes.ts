import { INestApplicationContext, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { AUTH_REQUIREMENT, AuthRequirement } from '@switchboard/common';

export interface AppRoute {
  /** Upper case, as Nest's RequestMethod names it: GET, POST, … */
  method: string;
  /** The template the router matches, e.g. `/api/messaging/sessions/:sessionId`. */
  path: string;
}

export interface ControllerRoute extends AppRoute {
  controller: string;
  handler: string;
  /** What the global AuthGuard reads for this route: the handler's declaration, else the controller's. */
  requirement: AuthRequirement | undefined;
}

/** `METHOD path`, the key suites compare route lists by. */
export const routeKey = (route: AppRoute): string => `${route.method} ${route.path}`;

/** Every route of every controller Nest has registered in this application (or testing module). */
export function listControllerRoutes(app: Pick<INestApplicationContext, 'get'>): ControllerRoute[] {
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const controllers = new Set<Type>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) controllers.add(wrapper.metatype as Type);
  }
  return [...controllers].flatMap((controller) => {
    const prefixes = pathsOf(Reflect.getMetadata(PATH_METADATA, controller));
    return scanner.getAllMethodNames(controller.prototype).flatMap((handlerName) => {
      const handler = controller.prototype[handlerName] as (...args: unknown[]) => unknown;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) return [];
      const requirement = reflector.getAllAndOverride<AuthRequirement | undefined>(AUTH_REQUIREMENT, [handler, controller]);
      return prefixes.flatMap((prefix) =>
        pathsOf(Reflect.getMetadata(PATH_METADATA, handler)).map((path) => ({
          method: RequestMethod[method],
          path: joinPath(prefix, path),
          controller: controller.name,
          handler: handlerName,
          requirement,
        })),
      );
    });
  });
}

function pathsOf(metadata: string | string[] | undefined): string[] {
  if (metadata === undefined) return [''];
  return Array.isArray(metadata) ? metadata : [metadata];
}

function joinPath(...parts: string[]): string {
  const joined = parts
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment !== '')
    .join('/');
  return `/${joined}`;
}
