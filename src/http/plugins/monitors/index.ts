import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { type CallMonitors, MonitorRefused, monitorDto } from '../../../calls/supervise/call-monitors.js';
import { type ApiAuth, supervisorOf } from '../../auth.js';
import { ApiError, ErrorBody } from '../../errors.js';
import {
  ChangeMonitorBody,
  MonitorBody,
  MonitorCallParams,
  MonitorParams,
  StartMonitorBody,
} from './schemas.js';

export interface MonitorsPluginOptions {
  monitors: CallMonitors;
  auth: ApiAuth;
}

/**
 * Supervisors listen to, whisper to, or barge into an agent's call from their own phone: start a monitor,
 * change its mode live, stop it. Supervisors only; every step is on the call's timeline
 * (`supervisor.monitor`) and on the live stream (`monitor.changed`, not sent to agents).
 */
export const monitorsPlugin: FastifyPluginAsyncTypebox<MonitorsPluginOptions> = async (app, opts) => {
  const { monitors, auth } = opts;
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

  const refusing = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof MonitorRefused) throw new ApiError(error.status, error.code, error.message);
      throw error;
    }
  };

  app.post(
    '/api/calls/:interactionId/monitor',
    {
      schema: {
        tags: ['monitors'],
        summary: "Monitor an agent's call: ring the supervisor's phone, then listen, whisper or barge",
        params: MonitorCallParams,
        body: StartMonitorBody,
        response: { 201: MonitorBody, ...errors },
      },
    },
    async (request, reply) => {
      const principal = auth.require(request);
      const { mode, phone } = request.body;
      const monitor = await refusing(() =>
        monitors.monitor(request.params.interactionId, mode, phone, supervisorOf(principal)),
      );
      return reply.status(201).send(monitorDto(monitor));
    },
  );

  app.get(
    '/api/monitors',
    {
      schema: {
        tags: ['monitors'],
        summary: 'The monitors ringing or active now',
        response: { 200: Type.Array(MonitorBody), 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      auth.require(request);
      return monitors.list().map(monitorDto);
    },
  );

  app.put(
    '/api/monitors/:id',
    {
      schema: {
        tags: ['monitors'],
        summary: 'Change a monitor to listen, whisper or barge (live, the supervisor stays on)',
        params: MonitorParams,
        body: ChangeMonitorBody,
        response: { 200: MonitorBody, ...errors },
      },
    },
    async (request) => {
      auth.require(request);
      return monitorDto(await refusing(() => monitors.setMode(request.params.id, request.body.mode)));
    },
  );

  app.delete(
    '/api/monitors/:id',
    {
      schema: {
        tags: ['monitors'],
        summary: "Stop a monitor: the supervisor's phone is hung up; the call goes on",
        params: MonitorParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      auth.require(request);
      await refusing(() => monitors.stopMonitor(request.params.id));
      return reply.status(204).send(null);
    },
  );
};
