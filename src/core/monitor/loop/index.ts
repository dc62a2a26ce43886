// Closing the loop (issue 16): served requests and their late labels back into a dataset version. Pure; the analysis
// worker reads the log and stores the version.

export { TrafficCollector, type TrafficRows, type TrafficSpec } from './traffic-rows';
export { checkProductionRequest, timeText, trafficChoices, trafficNotes, trafficProblem } from './production-request';
