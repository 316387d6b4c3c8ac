import { type Static, Type } from '@sinclair/typebox';

export const FlowFileBody = Type.Object(
  {
    file: Type.String({ description: 'Flow file, relative to the working directory when below it' }),
    ok: Type.Boolean({ description: 'The last load attempt succeeded' }),
    flowId: Type.Optional(Type.String({ description: 'Id of the serving flow (or of the refused one)' })),
    version: Type.Optional(
      Type.String({ description: 'Content hash of the serving version; absent when none ever loaded' }),
    ),
    loadedAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'When the serving version went live' }),
    ),
    fromArchive: Type.Optional(
      Type.Boolean({
        description:
          'The serving version is the last one that went live before the service restarted, from the flow archive: the file has been refused ever since',
      }),
    ),
    attemptedVersion: Type.String({ description: 'Content hash of the last attempt' }),
    checkedAt: Type.String({ format: 'date-time', description: 'When the file was last checked' }),
    errors: Type.Array(Type.String(), {
      description: '`file:line: message` for each error of the last attempt',
    }),
    warnings: Type.Array(Type.String()),
  },
  { $id: 'FlowFile' },
);
export type FlowFileDto = Static<typeof FlowFileBody>;

export const FlowListBody = Type.Object({
  dir: Type.String({ description: 'The flows directory the service watches' }),
  files: Type.Array(FlowFileBody),
});

export const FlowVersionParams = Type.Object({
  version: Type.String({
    pattern: '^[0-9a-f]{12}$',
    description: 'A flow version (the `flowVersion` of a timeline entry)',
  }),
});

export const FlowVersionBody = Type.Object(
  {
    version: Type.String(),
    flowId: Type.String(),
    file: Type.String({ description: 'File name in the flows directory it went live from' }),
    source: Type.String({ description: 'The flow file exactly as it went live' }),
    firstLoadedAt: Type.String({ format: 'date-time' }),
    lastLoadedAt: Type.String({ format: 'date-time', description: 'Last time it went live from its file' }),
  },
  { $id: 'FlowVersion' },
);
export type FlowVersionDto = Static<typeof FlowVersionBody>;
