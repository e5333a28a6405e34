package io.prebuilds.fixture;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.prebuilds.schemas.Topics;

class Misordered {
  List<Topics> topics;
  ObjectMapper mapper;
}
