/** Unit tests: every timeline event written is checked against its schema (see InteractionLog.strict). */
import { InteractionLog } from '../../src/store/interaction-log.js';

InteractionLog.strict = true;
