// One colour per compared run, the same in every compare chart and table, so a run is easy to follow.
export const RUN_COLORS = ['#1f5fa8', '#e07b00', '#1d7a46', '#b3261e', '#6a3d9a', '#00838f', '#8d6e00', '#c2185b', '#455a64', '#5d8c00'];

export function runColor(index: number): string {
  return RUN_COLORS[index % RUN_COLORS.length];
}
