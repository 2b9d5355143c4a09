/** A tiny inline SVG line of recent values (no axes): the shape of the traffic, not its figures. */
export function Sparkline(props: { values: (number | null)[]; label: string; colour?: string; width?: number; height?: number }) {
  const width = props.width ?? 120;
  const height = props.height ?? 28;
  const known = props.values.map((v) => v ?? 0);
  const max = Math.max(...known, 0);
  if (known.length < 2)
    return (
      <svg class="spark" width={width} height={height} role="img" aria-label={`${props.label}: not enough samples yet`}>
        <line x1="0" y1={height - 1} x2={width} y2={height - 1} stroke="#cbd2d9" stroke-dasharray="3 3" />
      </svg>
    );
  const step = width / (known.length - 1);
  const y = (v: number) => (max === 0 ? height - 1 : height - 1 - (v / max) * (height - 3));
  const points = known.map((v, i) => `${(i * step).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return (
    <svg class="spark" width={width} height={height} role="img" aria-label={`${props.label}: latest ${known.at(-1)}, max ${max}`}>
      <polyline points={points} fill="none" stroke={props.colour ?? '#3e7cb1'} stroke-width="1.5" stroke-linejoin="round" />
    </svg>
  );
}
