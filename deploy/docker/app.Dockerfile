# The prebuilds-streams image: the executable jar on a JRE, run as an unprivileged user whose uid
# matches runAsUser in deploy/k8s/base/statefulset.yaml. Build from the repository root after
#   mvn -B -DskipTests -pl streams-app -am package
# with
#   docker build -f deploy/docker/app.Dockerfile --build-arg APP_JAR=<path of the shaded jar> -t prebuilds-streams:dev .
FROM eclipse-temurin:17-jre
ARG APP_JAR=streams-app/target/prebuilds-streams.jar
RUN groupadd --system --gid 10001 prebuilds \
 && useradd --system --uid 10001 --gid prebuilds --no-create-home --home-dir /nonexistent prebuilds
COPY ${APP_JAR} /app/prebuilds-streams.jar
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/prebuilds-streams.jar"]
CMD ["run"]
