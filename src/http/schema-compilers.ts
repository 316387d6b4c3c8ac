import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type BuildSerializer = ReturnType<typeof SerializerSelector>;
type SerializerCompiler = ReturnType<BuildSerializer>;
type Serializer = ReturnType<SerializerCompiler>;

/**
 * Fastify's own schema compilers, kept for the process rather than for one app: Ajv (pooled by options)
 * keeps each schema it compiled, and response serializers are kept per schema object. A schema shared by
 * several routes is compiled once, and an app built again in the same process (the tests build hundreds)
 * compiles nothing new: building every route's validators and serializers was ~0.25 s of each build.
 * Route schemas here are module constants, so the same object always means the same schema.
 */
export const processSchemaCompilers = {
  buildValidator: AjvCompiler(),
  buildSerializer: keptSerializers(SerializerSelector()),
};

function keptSerializers(build: BuildSerializer): BuildSerializer {
  // One cache per set of serializer options and shared schemas (one set in this service).
  const byOptions = new Map<string, WeakMap<object, Serializer>>();
  return (externalSchemas, options) => {
    const compile = build(externalSchemas, options);
    const key = JSON.stringify([externalSchemas, options]);
    const cache = byOptions.get(key) ?? new WeakMap<object, Serializer>();
    byOptions.set(key, cache);
    return (route) => {
      const { schema } = route;
      if (typeof schema !== 'object' || schema === null) return compile(route);
      const serializer = cache.get(schema) ?? compile(route);
      cache.set(schema, serializer);
      return serializer;
    };
  };
}
