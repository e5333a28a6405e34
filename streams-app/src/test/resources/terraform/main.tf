# A template-like configuration whose plans exercise the plan-drift adapter without any provider
# download: terraform_data replaces itself when triggers_replace changes.
variable "disk_size" {
  type    = number
  default = 20
}

variable "image" {
  type    = string
  default = "ubuntu-22.04"
}

variable "owner" {
  type    = string
  default = "prebuilds"
}

resource "terraform_data" "home_disk" {
  triggers_replace = {
    root_block_device = [{ volume_size = var.disk_size }]
  }
}

resource "terraform_data" "instance" {
  triggers_replace = [var.image]
  input            = var.owner
}

resource "terraform_data" "metadata" {
  input = var.owner
}
