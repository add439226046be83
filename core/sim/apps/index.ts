// The simulated applications: each module registers its commands and services.
import './http';
import './dns';
import './dhcp';
import './tftp';
import './nc';
