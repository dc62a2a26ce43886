// First: it beats before the heavier modules below are evaluated (tfjs, backends).
import './shared/heartbeat';
import { expose } from 'comlink';
import { createParser } from './parse/parser';

expose(createParser());
