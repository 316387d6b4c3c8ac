/**
 * The parts of the ARI data model this service reads. Field names follow Asterisk's ARI reference
 * (rest-api/api-docs/*.json); only what the service uses is declared.
 */
export interface AriCallerId {
  name: string;
  number: string;
}

export interface AriChannel {
  id: string;
  name: string;
  state: string;
  caller: AriCallerId;
  connected: AriCallerId;
  dialplan: { context: string; exten: string; priority: number; app_name?: string; app_data?: string };
  creationtime: string;
  language: string;
  channelvars?: Record<string, string>;
}

export interface AriBridge {
  id: string;
  technology: string;
  bridge_type: string;
  bridge_class: string;
  name: string;
  channels: string[];
}

export interface AriPlayback {
  id: string;
  media_uri: string;
  target_uri: string;
  state: 'queued' | 'playing' | 'paused' | 'complete' | 'done' | 'failed';
}

export interface AriLiveRecording {
  name: string;
  format: string;
  state: string;
  target_uri: string;
  duration?: number;
  cause?: string;
}

export interface AriAsteriskInfo {
  system?: { version: string; entity_id: string };
  status?: { startup_time: string; last_reload_time: string };
}

interface AriEventBase {
  application: string;
  timestamp: string;
  asterisk_id?: string;
}

/** Events of the Stasis application's WebSocket that the service handles. */
export type AriEvent =
  | (AriEventBase & {
      type: 'StasisStart';
      channel: AriChannel;
      args: string[];
      replace_channel?: AriChannel;
    })
  | (AriEventBase & { type: 'StasisEnd'; channel: AriChannel })
  | (AriEventBase & { type: 'ChannelDestroyed'; channel: AriChannel; cause: number; cause_txt: string })
  | (AriEventBase & { type: 'ChannelHangupRequest'; channel: AriChannel; cause?: number; soft?: boolean })
  | (AriEventBase & { type: 'ChannelStateChange'; channel: AriChannel })
  | (AriEventBase & { type: 'ChannelDtmfReceived'; channel: AriChannel; digit: string; duration_ms: number })
  | (AriEventBase & { type: 'ChannelTalkingStarted'; channel: AriChannel })
  | (AriEventBase & { type: 'ChannelTalkingFinished'; channel: AriChannel; duration: number })
  | (AriEventBase & { type: 'ChannelEnteredBridge'; channel: AriChannel; bridge: AriBridge })
  | (AriEventBase & { type: 'ChannelLeftBridge'; channel: AriChannel; bridge: AriBridge })
  | (AriEventBase & { type: 'PlaybackStarted'; playback: AriPlayback })
  | (AriEventBase & { type: 'PlaybackFinished'; playback: AriPlayback })
  | (AriEventBase & { type: 'RecordingStarted'; recording: AriLiveRecording })
  | (AriEventBase & { type: 'RecordingFinished'; recording: AriLiveRecording })
  | (AriEventBase & { type: 'RecordingFailed'; recording: AriLiveRecording })
  | (AriEventBase & { type: 'Dial'; peer: AriChannel; caller?: AriChannel; dialstatus: string })
  | (AriEventBase & { type: 'BridgeDestroyed'; bridge: AriBridge });

export type AriEventType = AriEvent['type'];
export type AriEventOf<T extends AriEventType> = Extract<AriEvent, { type: T }>;
