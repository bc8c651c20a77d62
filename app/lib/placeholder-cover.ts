const PALETTE = [
  "#7c2d12",
  "#1e3a8a",
  "#14532d",
  "#581c87",
  "#7f1d1d",
  "#134e4a",
  "#78350f",
  "#312e81",
];

export function renderPlaceholderCover(id: number, title: string, author: string): string {
  const background = PALETTE[id % PALETTE.length];
  const titleLines = wrap(title, 16, 5);
  const authorLines = wrap(author, 20, 2);
  const titleText = titleLines
    .map((line, i) => `<tspan x="160" dy="${i === 0 ? 0 : 34}">${escapeXml(line)}</tspan>`)
    .join("");
  const authorText = authorLines
    .map((line, i) => `<tspan x="160" dy="${i === 0 ? 0 : 24}">${escapeXml(line)}</tspan>`)
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="480" viewBox="0 0 320 480" role="img" aria-label="${escapeXml(`${title} by ${author}`)}">
<rect width="320" height="480" fill="${background}"/>
<rect x="16" y="16" width="288" height="448" fill="none" stroke="#f5e6c8" stroke-width="2" opacity="0.6"/>
<text x="160" y="150" text-anchor="middle" fill="#fdf6e3" font-family="Georgia, 'Times New Roman', serif" font-size="28" font-weight="bold">${titleText}</text>
<text x="160" y="400" text-anchor="middle" fill="#f5e6c8" font-family="Georgia, 'Times New Roman', serif" font-size="19" font-style="italic">${authorText}</text>
</svg>`;
}

function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && (current + " " + word).length > width) {
      lines.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  if (current) lines.push(current);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${kept[maxLines - 1].replace(/\s*\S*$/, "")}…`;
    return kept;
  }
  return lines;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
