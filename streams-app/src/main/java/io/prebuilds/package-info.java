/** prebuilds-streams: the reconciler for pools of prebuilt workspaces, as a Kafka Streams app. */
package io.prebuilds;
