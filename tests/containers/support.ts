/**
 * A small Dockerfile reader: instructions grouped by build stage, with line
 * continuations joined and comments dropped. No Docker engine runs here.
 */
export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  args: Record<string, string>;
  stages: Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const logicalLines: string[] = [];
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("#") || (line === "" && pending === "")) continue;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logicalLines.push((pending + line).trim());
    pending = "";
  }

  const dockerfile: Dockerfile = { args: {}, stages: [] };
  for (const line of logicalLines.filter(Boolean)) {
    const [keyword, ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    if (instruction.keyword === "FROM") {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!match) throw new Error(`unreadable FROM: ${line}`);
      dockerfile.stages.push({ from: match[1], name: match[2], instructions: [] });
    } else if (dockerfile.stages.length === 0 && instruction.keyword === "ARG") {
      const [name, value = ""] = instruction.args.split("=", 2);
      dockerfile.args[name] = value;
    } else {
      dockerfile.stages.at(-1)?.instructions.push(instruction);
    }
  }
  return dockerfile;
}

export function instructionsOf(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
}

/** The exec-form JSON array of CMD, ENTRYPOINT or HEALTHCHECK … CMD. */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf("["));
  return JSON.parse(json) as string[];
}
