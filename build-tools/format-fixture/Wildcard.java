package io.prebuilds.fixture;

import java.util.*;

class Wildcard {
  List<String> names;
}
