package io.prebuilds.fixture;

import io.prebuilds.schemas.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

class Misordered {
  List<Topics> topics;
  ObjectMapper mapper;
}
