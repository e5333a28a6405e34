# A Kafka Connect worker image with our PostgreSQL sink plugin on plugin.path
# (/opt/prebuilds/connect-plugins, see deploy/k8s/base/connect-configmap.yaml). The base image
# runs as the unprivileged user appuser (uid 1000, runAsUser in connect-deployment.yaml). Build
# from the repository root after
#   mvn -B -DskipTests -pl connectors -am package
# with
#   docker build -f deploy/docker/connect.Dockerfile --build-arg PLUGIN=<plugin jar or directory> -t prebuilds-connect:dev .
FROM apache/kafka:4.3.1
ARG PLUGIN=connectors/target/connectors-0.1.0-SNAPSHOT-connect-plugin.jar
COPY ${PLUGIN} /opt/prebuilds/connect-plugins/prebuilds-postgres-sink/
