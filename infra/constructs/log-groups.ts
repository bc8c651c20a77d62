import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { appLogGroupName, syslogLogGroupName } from "../lib/naming.js";

export interface LogGroupsProps {
  readonly environment: string;
  readonly retentionDays: number;
}

/** The log groups the image's CloudWatch agent ships to (names are the image contract). */
export class LogGroups extends Construct {
  readonly appLogGroupName: string;
  readonly syslogLogGroupName: string;

  constructor(scope: Construct, id: string, props: LogGroupsProps) {
    super(scope, id);
    const app = new CloudwatchLogGroup(this, "app", {
      name: appLogGroupName(props.environment),
      retentionInDays: props.retentionDays,
    });
    const syslog = new CloudwatchLogGroup(this, "syslog", {
      name: syslogLogGroupName(props.environment),
      retentionInDays: props.retentionDays,
    });
    this.appLogGroupName = app.name;
    this.syslogLogGroupName = syslog.name;
  }
}
