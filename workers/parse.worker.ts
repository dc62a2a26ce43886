// First: it beats before the heavier modules below are evaluated (tfjs, backends).
import './heartbeat';
import { expose } from 'comlink';
import { createParser } from './parser';

expose(createParser());
